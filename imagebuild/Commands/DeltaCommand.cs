using System.CommandLine;
using System.Text.Json;
using Appliance.Core.Delta;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild delta --from old.img --to new.img --out file.delta</c>: what an appliance on old.img downloads.</summary>
public static class DeltaCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Required = true, Description = "Image the appliance has (the base)" };
        var to = new Option<string>("--to") { Required = true, Description = "Image the appliance should get (the target)" };
        var output = new Option<string>("--out") { Required = true, Description = "Delta file to write (replaced if it exists)" };
        var level = new Option<int>("--level") { DefaultValueFactory = _ => new DeltaOptions().CompressionLevel, Description = "zstd level for the new data" };
        var command = new Command("delta", "Make the block delta from one image to the next; prints a JSON summary") { from, to, output, level };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var baseImage = InputFile.OpenRead(parse.GetValue(from)!, "Base image");
            await using var target = InputFile.OpenRead(parse.GetValue(to)!, "Target image");
            var path = parse.GetValue(output)!;
            var options = new DeltaOptions(CompressionLevel: parse.GetValue(level));
            var summary = await Task.Run(() => AtomicFile.Write(path, delta => DeltaWriter.Write(baseImage, target, delta, options, cancellationToken)), cancellationToken);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["delta_bytes"] = new FileInfo(path).Length,
                ["target_sha256"] = summary.Header.TargetSha256,
                ["copied_blocks"] = summary.CopiedBlocks,
                ["moved_blocks"] = summary.MovedBlocks,
                ["zero_blocks"] = summary.ZeroBlocks,
                ["literal_blocks"] = summary.LiteralBlocks,
                ["segments"] = summary.Segments,
                ["compressed_literal_bytes"] = summary.CompressedLiteralBytes,
            }));
        });
        return command;
    }
}
