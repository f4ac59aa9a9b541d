using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Core.Manifests;
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
public sealed class UpgradeApplier(HostLayout layout, UpdaterStateStore stateStore, string kernelArguments)
{
    public async Task<BootState> ApplyAsync(BootedImage booted, int? requestedVersion, int tries, CancellationToken cancellationToken)
    {
        var bootStore = new BootStateStore(layout);
        var target = StagedImageSelector.Select(layout, bootStore.Load(), stateStore.Load(), booted, requestedVersion);
        var manifestPath = layout.ManifestPath(target);
        if (!File.Exists(manifestPath))
        {
            throw new ApplianceException(ExitCode.NotFound, $"Image {target} has no manifest ({manifestPath}); stage it again.");
        }
        var manifest = ManifestSerializer.Deserialize(File.ReadAllBytes(manifestPath), manifestPath);
        BootState next = bootStore.Load();
        var journal = OperationJournal.Begin(stateStore, "apply", target);
        await journal.RunAsync(async _ =>
        {
            journal.Step("migrating");
            await new ConfigurationMigrator(layout).MigrateAsync(booted.Version, target, manifest.CarryOver, cancellationToken);

            journal.Step("switching");
            next = BootTransitions.StartTrial(bootStore.Load(), target, tries);
            bootStore.Save(next);
            new GrubConfigWriter(layout, kernelArguments).Write(next);
            Log.Information("Image {Version} boots next as a trial ({Tries} tries); image {Default} stays the default until it is confirmed", target, tries, next.Default);
        });
        return next;
    }
}
