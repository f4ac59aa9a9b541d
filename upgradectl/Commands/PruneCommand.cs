using System.CommandLine;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl prune [--keep N]</c>: remove old and failed images, never the booted, default, previous or trial one.</summary>
public static class PruneCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var keep = new Option<int>("--keep") { Description = "Images to keep in all (protected ones always stay)", DefaultValueFactory = _ => 3 };
        var command = new Command("prune", "Remove old and failed images and leftovers to make room") { keep };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            using var hostLock = await options.LockAsync(parse, cancellationToken);
            var removed = await new ImagePruner(layout, new UpdaterStateStore(layout), options.KernelArgumentsOf(parse), options.Clock)
                .PruneAsync(options.BootedIfAny(parse)?.Version, parse.GetValue(keep));
            await Console.Out.WriteLineAsync(removed.Count == 0 ? "nothing to remove" : $"removed images {string.Join(", ", removed)}");
        });
        return command;
    }
}
