using Appliance.Core.Layout;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Migration;

/// <summary>
/// Carries configuration from the running system into the next image's writable layers on the host partition. It
/// only reads the running system and only writes a new directory, <c>overlays/&lt;N&gt;.partial</c>, which replaces
/// <c>overlays/&lt;N&gt;</c> by rename once complete: the running image and its layers are never touched, and a
/// killed migration is simply redone.
/// </summary>
public sealed class ConfigurationMigrator(HostLayout layout)
{
    /// <summary>Reached inside migration, after the configuration was carried and before the hooks run.</summary>
    public const string CarriedFaultPoint = "apply.migrating-carried";

    public async Task MigrateAsync(int fromVersion, int toVersion, IReadOnlyList<string> carryOver, CancellationToken cancellationToken)
    {
        var paths = carryOver.Select(CarriedPath.Parse).ToList();
        foreach (var path in paths)
        {
            CarriedTreeValidator.Validate(layout.Root, path);
        }
        var final = layout.OverlayOf(toVersion);
        var partial = final + HostPartitionPaths.PartialSuffix;
        RemoveTree(partial);
        foreach (var layer in CarriedPath.WritableLayers)
        {
            Directory.CreateDirectory(Path.Combine(partial, layer, HostPartitionPaths.OverlayUpper));
        }
        foreach (var path in paths)
        {
            var source = Path.Combine(layout.Root, path.Layer, path.PathInLayer);
            if (!Path.Exists(source) && new FileInfo(source).LinkTarget is null)
            {
                Log.Debug("{Path} does not exist on the running system; the new image keeps its own", path.Absolute);
                continue;
            }
            // cp -a --parents keeps owners, modes, times, xattrs and ACLs of the path and of its parent directories,
            // which overlayfs then shows in place of the image's own.
            await ProcessRunner.RunAsync("cp", ["-a", "--no-dereference", "--parents", path.PathInLayer, Path.Combine(partial, path.Layer, HostPartitionPaths.OverlayUpper) + "/"],
                new ProcessOptions(WorkingDirectory: Path.Combine(layout.Root, path.Layer)), cancellationToken);
            Log.Information("Carried {Path} into image {Version}", path.Absolute, toVersion);
        }
        FaultPoints.Reach(CarriedFaultPoint);
        var hooksWork = Path.Combine(layout.StateDirectory, $"hooks-{toVersion}");
        RemoveTree(hooksWork);
        Directory.CreateDirectory(hooksWork);
        try
        {
            await MigrationHooks.RunAsync(layout.ImagePath(toVersion), hooksWork, partial, fromVersion, toVersion, cancellationToken);
        }
        finally
        {
            RemoveTree(hooksWork);
        }
        await ProcessRunner.RunAsync("sync", ["--file-system", partial], cancellationToken: cancellationToken);
        RemoveTree(final);
        Directory.Move(partial, final);
        AtomicFile.SyncDirectoryOf(final);
    }

    public static void RemoveTree(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
