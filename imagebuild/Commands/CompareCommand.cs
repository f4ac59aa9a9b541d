using System.CommandLine;
using System.Text.Json;
using Appliance.Core.Delta;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild compare --old a.img --new b.img</c>: the same-offset block diff, as JSON on standard output.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var previous = new Option<string>("--old") { Required = true, Description = "Image the appliance has" };
        var next = new Option<string>("--new") { Required = true, Description = "Image the appliance should get" };
        var blockSize = new Option<int>("--block-size") { DefaultValueFactory = _ => 16384, Description = "Block size in bytes (16384: a zvol's default volblocksize)" };
        var changedBlocks = new Option<string?>("--changed-blocks") { Description = "Also write the changed blocks of --new, concatenated, to this file" };
        var command = new Command("compare", "Count the blocks that differ at the same offset (what zfs send -i of a zvol sends)") { previous, next, blockSize, changedBlocks };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var left = File.OpenRead(parse.GetValue(previous)!);
            await using var right = File.OpenRead(parse.GetValue(next)!);
            await using var changed = parse.GetValue(changedBlocks) is { } path ? File.Create(path) : null;
            var diff = await Task.Run(() => SameOffsetBlockComparer.Compare(left, right, parse.GetValue(blockSize), changed), cancellationToken);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, long>
            {
                ["block_size"] = diff.BlockSize,
                ["total_blocks"] = diff.TotalBlocks,
                ["changed_blocks"] = diff.ChangedBlocks,
                ["changed_bytes"] = diff.ChangedBytes,
            }));
        });
        return command;
    }
}
