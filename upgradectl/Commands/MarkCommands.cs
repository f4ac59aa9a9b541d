using System.CommandLine;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Boot;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>mark-good</c> and <c>mark-bad</c>: the verdict on the running boot, given by hand or by another monitor.</summary>
public static class MarkCommands
{
    public static Command CreateMarkGood()
    {
        var options = new CommonOptions();
        var command = new Command("mark-good", "Confirm the running image: a trial becomes the default");
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            using var hostLock = await options.LockAsync(parse, cancellationToken);
            await new BootConfirmation(options.Layout(parse), options.KernelArgumentsOf(parse), options.Clock)
                .MarkGoodAsync(options.Booted(parse), "marked good by hand");
        });
        return command;
    }

    public static Command CreateMarkBad()
    {
        var options = new CommonOptions();
        var reboot = new Option<bool>("--reboot") { Description = "Reboot right away when the next boot goes to another image" };
        var command = new Command("mark-bad", "Reject the running trial image: the next boot returns to the default") { reboot };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            bool returns;
            using (await options.LockAsync(parse, cancellationToken))
            {
                returns = await new BootConfirmation(options.Layout(parse), options.KernelArgumentsOf(parse), options.Clock)
                    .MarkBadAsync(options.Booted(parse), "marked bad by hand");
            }
            if (returns && parse.GetValue(reboot))
            {
                await SystemReboot.RunAsync(cancellationToken);
            }
        });
        return command;
    }
}
