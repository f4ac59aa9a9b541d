using System.CommandLine;
using Appliance.Core.Boot;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Boot;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl apply [--version N] [--tries T] [--reboot]</c>: migrate configuration and boot the staged image next as a trial.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var version = new Option<int?>("--version") { Description = "The staged image to switch to (default: the newest staged)" };
        var tries = new Option<int>("--tries") { Description = "Boots the trial gets before GRUB returns to the default", DefaultValueFactory = _ => BootTransitions.DefaultTrialTries };
        var reboot = new Option<bool>("--reboot") { Description = "Reboot into the trial right away" };
        var command = new Command("apply", "Carry the configuration into the staged image and make it the next boot's trial") { version, tries, reboot };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            var booted = options.Booted(parse);
            using (await options.LockAsync(parse, cancellationToken))
            {
                var state = await new UpgradeApplier(layout, new UpdaterStateStore(layout), options.KernelArgumentsOf(parse), options.Clock)
                    .ApplyAsync(booted, parse.GetValue(version), parse.GetValue(tries), cancellationToken);
                await Console.Out.WriteLineAsync($"image {state.Trial} boots next as a trial ({state.TrialTries} tries); image {state.Default} stays the default until it is confirmed");
            }
            if (parse.GetValue(reboot))
            {
                await SystemReboot.RunAsync(cancellationToken);
            }
        });
        return command;
    }
}
