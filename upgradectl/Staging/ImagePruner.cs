using Appliance.Core.Boot;
using Appliance.Core.Images;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Migration;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Staging;

/// <summary>
/// Makes room on the host partition. Never removes the booted image, the default, the previous good image or a pending
/// trial; beyond those, keeps the newest images up to <c>keep</c> in all, and removes failed images first. The boot menu
/// is rewritten without the doomed images before any file goes, so GRUB never lists a missing image. Partial images
/// and downloads go too, unless a check or stage is running (it holds the download lock and may be using them).
/// </summary>
public sealed class ImagePruner(HostLayout layout, UpdaterStateStore stateStore, string kernelArguments, TimeProvider clock)
{
    public async Task<IReadOnlyList<int>> PruneAsync(int? booted, int keep)
    {
        var state = new BootStateStore(layout).Load();
        var updater = stateStore.Load();
        var present = ImageInventory.Versions(layout);
        var protectedVersions = new HashSet<int?> { booted, state.Default, state.Previous, state.Trial };
        var kept = present.Where(v => protectedVersions.Contains(v)).ToHashSet();
        foreach (var version in present.Where(v => !kept.Contains(v) && !updater.Failed.Contains(v)).OrderDescending())
        {
            if (kept.Count >= keep)
            {
                break;
            }
            kept.Add(version);
        }
        var removed = present.Where(v => !kept.Contains(v)).ToList();

        var journal = OperationJournal.Begin(stateStore, clock, "prune", null);
        await journal.RunAsync(_ =>
        {
            journal.Step("menu");
            if (present.Count > 0)
            {
                new GrubConfigWriter(layout, kernelArguments).Write(state, kept);
            }
            journal.Step("removing");
            foreach (var version in removed)
            {
                File.Delete(layout.ImagePath(version));
                File.Delete(layout.ManifestPath(version));
                ConfigurationMigrator.RemoveTree(layout.OverlayOf(version));
                stateStore.Update(s => s.WithoutImage(version));
                Log.Information("Removed image {Version}", version);
            }
            RemoveLeftovers(kept);
            return RemoveUnusedDownloadsAsync();
        });
        return removed;
    }

    /// <summary>Partial images and downloaded objects, when no stage is using them (the download lock is free).</summary>
    private async Task RemoveUnusedDownloadsAsync()
    {
        using var idle = await FileLock.TryAcquireAsync(layout.DownloadLock, TimeSpan.Zero, CancellationToken.None);
        if (idle is null)
        {
            Log.Information("A check or stage is running: its partial image and downloads stay");
            return;
        }
        var partials = Directory.Exists(layout.Images) ? Directory.EnumerateFiles(layout.Images, "*.partial") : [];
        var downloads = Directory.Exists(layout.Downloads) ? Directory.EnumerateFiles(layout.Downloads) : [];
        foreach (var file in partials.Concat(downloads).ToList())
        {
            File.Delete(file);
            Log.Information("Removed leftover {File}", Path.GetFileName(file));
        }
    }

    /// <summary>The manifests and layers of images that are gone: we hold the host lock, so nobody writes them.</summary>
    private void RemoveLeftovers(HashSet<int> kept)
    {
        if (Directory.Exists(layout.Images))
        {
            foreach (var file in Directory.EnumerateFiles(layout.Images))
            {
                var name = Path.GetFileName(file);
                var orphanManifest = name.EndsWith(ImageVersion.ManifestExtension, StringComparison.Ordinal)
                    && !kept.Any(v => layout.ManifestPath(v) == file);
                if (orphanManifest)
                {
                    File.Delete(file);
                    Log.Information("Removed leftover {File}", name);
                }
            }
        }
        if (Directory.Exists(layout.Overlays))
        {
            foreach (var directory in Directory.EnumerateDirectories(layout.Overlays))
            {
                if (!kept.Any(v => layout.OverlayOf(v) == directory))
                {
                    ConfigurationMigrator.RemoveTree(directory);
                }
            }
        }
    }
}
