using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Migration;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// The short step of an upgrade: carry the configuration into the staged image, then make it the trial for the next
/// boot. Until the trial is written to grubenv nothing about the next boot has changed, so a kill at any point
/// before leaves the appliance booting its default, and running apply again redoes the migration from scratch.
/// </summary>
public sealed class UpgradeApplier(HostLayout layout, UpdaterStateStore stateStore, string kernelArguments, TimeProvider clock)
{
    public async Task<BootState> ApplyAsync(BootedImage booted, int? requestedVersion, int tries, CancellationToken cancellationToken)
    {
        // We hold the host lock: nobody else changes grubenv until we are done, so one read serves the whole apply.
        var next = new BootStateStore(layout).Load();
        var target = StagedImageSelector.Select(layout, next, stateStore.Load(), booted, requestedVersion);
        var manifest = ImageInventory.Manifest(layout, target)
            ?? throw new ApplianceException(ExitCode.NotFound, $"Image {target} has no manifest ({layout.ManifestPath(target)}); stage it again.");
        // The whole plan is checked before migration writes anything: a refusal later would come too late.
        var trial = BootTransitions.StartTrial(next, target, tries);
        var journal = OperationJournal.Begin(stateStore, clock, "apply", target);
        await journal.RunAsync(async _ =>
        {
            journal.Step("migrating");
            await new ConfigurationMigrator(layout).MigrateAsync(booted.Version, target, manifest.CarryOver, cancellationToken);

            journal.Step("switching");
            next = trial;
            new NextBoot(layout, kernelArguments).Set(next, journal);
            Log.Information("Image {Version} boots next as a trial ({Tries} tries); image {Default} stays the default until it is confirmed", target, tries, next.Default);
        });
        return next;
    }
}
