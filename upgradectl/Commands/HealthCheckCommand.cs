using System.CommandLine;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;
using Appliance.Platform.Mounts;
using Appliance.Upgradectl.Boot;
using Appliance.Upgradectl.Health;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl health-check</c>, run by appliance-health.service after boot: run the checks, then confirm the boot or
/// reject it and reboot into the last good image. Its verdict lines go to the console, where operators (and the VM
/// tests) read them.
/// </summary>
public static class HealthCheckCommand
{
    public const string ConsolePrefix = "appliance-health:";

    public static Command Create()
    {
        var options = new CommonOptions();
        var noReboot = new Option<bool>("--no-reboot") { Description = "Only record the verdict; do not reboot after rejecting a trial" };
        var command = new Command("health-check", "Run the post-boot health checks and confirm or reject this boot") { noReboot };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            var commandLine = options.CommandLineText(parse);
            var booted = BootedImage.FromCommandLine(commandLine);
            await Console.Out.WriteLineAsync(
                $"{ConsolePrefix} running {booted}: / is {MountTable.SourceOf(layout.Root) ?? "not a mount point"}, /host is {MountTable.SourceOf(layout.Host) ?? "not mounted"}");
            var config = HealthConfig.Load(layout.HealthConfig);
            List<IHealthCheck> checks = [new ScriptDirectoryCheck(layout.HealthChecks, config.CheckTimeout)];
            if (SystemdUnitsCheck.IsAvailable)
            {
                checks.Insert(0, new SystemdUnitsCheck(config.Target, config.RequiredUnits));
            }
            var results = new List<HealthResult>();
            foreach (var check in checks)
            {
                results.AddRange(await check.RunAsync(cancellationToken));
            }
            var failures = results.Where(result => !result.Healthy).ToList();
            var confirmation = new BootConfirmation(layout, KernelArguments.Extra(commandLine), options.Clock);
            using var hostLock = await options.LockAsync(parse, cancellationToken);
            if (failures.Count == 0)
            {
                var state = await confirmation.MarkGoodAsync(booted, $"{results.Count} checks passed");
                await Console.Out.WriteLineAsync($"{ConsolePrefix} {booted} is healthy ({results.Count} checks): default image is {state.Default}");
                return;
            }
            var reasons = string.Join("; ", failures.Select(failure => $"{failure.Check}: {failure.Detail}"));
            var returns = await confirmation.MarkBadAsync(booted, reasons);
            await Console.Out.WriteLineAsync($"{ConsolePrefix} {booted} is UNHEALTHY: {reasons}");
            if (returns)
            {
                await Console.Out.WriteLineAsync($"{ConsolePrefix} trial rejected; rebooting into the last good image");
                if (!parse.GetValue(noReboot))
                {
                    await SystemReboot.RunAsync(cancellationToken);
                }
            }
            throw new ApplianceException(ExitCode.VerificationFailed, $"{booted} failed its health checks: {reasons}");
        });
        return command;
    }
}
