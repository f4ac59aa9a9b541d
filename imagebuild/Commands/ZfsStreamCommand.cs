using System.CommandLine;
using System.Text.Json;
using Appliance.Core.Zfs;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild zfs-stream --to new.img [--from old.img] --out file.zfs</c>: the ZFS send stream (full, or incremental
/// from --from) of a zvol holding the image, as publish --zfs-streams writes it (docs/zfs-streams.md); JSON summary.
/// </summary>
public static class ZfsStreamCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Image the receiver's snapshot holds (omit for a full stream)" };
        var to = new Option<string>("--to") { Required = true, Description = "Image the stream makes" };
        var output = new Option<string>("--out") { Required = true, Description = "Stream file to write (replaced if it exists)" };
        var command = new Command("zfs-stream", "Write the ZFS send stream of a zvol holding an image; prints a JSON summary") { from, to, output };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var targetPath = parse.GetValue(to)!;
            var basePath = parse.GetValue(from);
            await using var target = InputFile.OpenRead(targetPath, "Target image");
            await using var baseImage = basePath is null ? null : InputFile.OpenRead(basePath, "Base image");
            var targetZvol = new ZvolImage(target, await Sha256File.ComputeAsync(targetPath, cancellationToken), 0);
            var baseZvol = basePath is null ? null : new ZvolImage(baseImage!, await Sha256File.ComputeAsync(basePath, cancellationToken), 0);
            var path = parse.GetValue(output)!;
            var summary = await Task.Run(() => AtomicFile.Write(path, stream => baseZvol is null
                ? ZvolStreamWriter.WriteFull(targetZvol, stream, cancellationToken)
                : ZvolStreamWriter.WriteIncremental(baseZvol, targetZvol, stream, cancellationToken)), cancellationToken);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["stream_bytes"] = summary.Bytes,
                ["from_guid"] = summary.FromGuid,
                ["to_guid"] = summary.ToGuid,
                ["write_records"] = summary.WriteRecords,
                ["free_records"] = summary.FreeRecords,
                ["vol_block_size"] = ZfsStreamFormat.VolBlockSize,
            }));
        });
        return command;
    }
}
