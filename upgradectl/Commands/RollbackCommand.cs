using System.CommandLine;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Boot;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl rollback [--to N] [--force] [--reboot]</c>: support staff switch back to an image still present.</summary>
public static class RollbackCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var to = new Option<int?>("--to") { Description = "The image to go back to (default: the previous good image)" };
        var force = new Option<bool>("--force") { Description = "Allow an image that failed before" };
        var reboot = new Option<bool>("--reboot") { Description = "Reboot into it right away" };
        var command = new Command("rollback", "Make an image that is still present the default again") { to, force, reboot };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            using (await options.LockAsync(parse, cancellationToken))
            {
                var state = await new RollbackSwitcher(layout, new UpdaterStateStore(layout), options.KernelArgumentsOf(parse), options.Clock)
                    .RollbackAsync(parse.GetValue(to), parse.GetValue(force));
                await Console.Out.WriteLineAsync($"image {state.Default} is the default from the next boot on");
            }
            if (parse.GetValue(reboot))
            {
                await SystemReboot.RunAsync(cancellationToken);
            }
        });
        return command;
    }
}
