using System.CommandLine;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Boot;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl apply [--version N] [--tries T] [--reboot [--kexec]]</c>: migrate configuration and boot the staged image next as a trial.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var version = new Option<int?>("--version") { Description = "The staged image to switch to (default: the newest staged)" };
        var tries = new Option<int>("--tries") { Description = "Boots the trial gets before GRUB returns to the default", DefaultValueFactory = _ => BootTransitions.DefaultTrialTries };
        var reboot = new Option<bool>("--reboot") { Description = "Reboot into the trial right away" };
        var kexec = new Option<bool>("--kexec") { Description = "With --reboot: boot the trial by kexec, skipping the firmware and GRUB (its try is counted as GRUB would)" };
        var command = new Command("apply", "Carry the configuration into the staged image and make it the next boot's trial") { version, tries, reboot, kexec };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var useKexec = parse.GetValue(kexec);
            if (useKexec && !parse.GetValue(reboot))
            {
                throw new ApplianceException(ExitCode.Usage, "--kexec is a way to reboot: give it with --reboot.");
            }
            var layout = options.Layout(parse);
            var booted = options.Booted(parse);
            using (await options.LockAsync(parse, cancellationToken))
            {
                var state = await new UpgradeApplier(layout, new UpdaterStateStore(layout), options.KernelArgumentsOf(parse), options.Clock)
                    .ApplyAsync(booted, parse.GetValue(version), parse.GetValue(tries), cancellationToken);
                await Console.Out.WriteLineAsync($"image {state.Trial} boots next as a trial ({state.TrialTries} tries); image {state.Default} stays the default until it is confirmed");
                if (useKexec)
                {
                    state = await new KexecSwitch(layout, options.CommandLineText(parse)).LoadAsync(cancellationToken);
                    await Console.Out.WriteLineAsync($"image {state.Trial} boots now by kexec ({state.TrialTries} tries left after it)");
                }
            }
            if (useKexec)
            {
                await KexecSwitch.JumpAsync(cancellationToken);
            }
            else if (parse.GetValue(reboot))
            {
                await SystemReboot.RunAsync(cancellationToken);
            }
        });
        return command;
    }
}
