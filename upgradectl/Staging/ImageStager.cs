using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Staging;

/// <summary>
/// Makes a new image present on the host partition while the appliance keeps running, from a local file or from the
/// repository (<see cref="IImageSource"/>), by one path: checks first (version, downgrade, free space), then the
/// source writes it under a partial name, then it is verified against its manifest, and only then renamed to
/// <c>&lt;N&gt;.img</c>. A killed stage leaves at most a partial file, which the next stage or prune removes.
/// The caller holds the download lock throughout; the host lock is taken only for the checks and to publish, so the
/// health verdict (and apply, rollback, prune) never wait for a download, a rebuild or an e2fsck.
/// </summary>
public sealed class ImageStager(HostLayout layout, UpdaterStateStore stateStore, TimeProvider clock, StageHostLocks hostLocks)
{
    public async Task StageAsync(ImageManifest manifest, StageRequest request, IImageSource source, CancellationToken cancellationToken)
    {
        var version = manifest.Version;
        var journal = OperationJournal.Begin(stateStore, clock, "stage", version);
        await journal.RunAsync(async _ =>
        {
            journal.Step("checking");
            if (await AlreadyStagedAsync(manifest, cancellationToken))
            {
                Log.Information("Image {Version} is already staged and matches its manifest", version);
                return;
            }
            var partial = layout.PartialPath(version);
            using (await hostLocks.ForChecks())
            {
                CheckVersion(manifest, request.AllowDowngrade);
                Directory.CreateDirectory(layout.Images);
                File.Delete(partial);
                // Abandoned downloads go first: their space counts as free.
                source.RemoveStaleFiles();
                FreeSpace.Require(layout.Images, await source.SpaceNeededAsync(cancellationToken) + request.ReserveBytes,
                    $"image {version} and the {request.ReserveBytes / (1024 * 1024)} MiB reserve (upgradectl prune can make room)");
            }

            try
            {
                var sha256 = await source.WriteAsync(partial, journal, cancellationToken);
                journal.Step("verifying");
                await ImageVerifier.VerifyAsync(partial, manifest, sha256, cancellationToken);
            }
            catch (IOException e) when (DiskFull.Is(e))
            {
                File.Delete(partial);
                throw DiskFull.Error($"writing image {version}", e);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }

            using (await hostLocks.ForPublish())
            {
                journal.Step("publishing");
                CheckVersion(manifest, request.AllowDowngrade);
                AtomicFile.WriteAllBytes(layout.ManifestPath(version), ManifestSerializer.Serialize(manifest));
                AtomicFile.Publish(partial, layout.ImagePath(version));
                stateStore.Update(state => state.WithoutImage(version));
            }
            Log.Information("Image {Version} is staged at {Path}", version, layout.ImagePath(version));
        });
    }

    public static ImageManifest ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The image's manifest {path} does not exist (pass --manifest).");
        }
        return ManifestFile.Read(path);
    }

    private void CheckVersion(ImageManifest manifest, bool allowDowngrade)
    {
        var state = new BootStateStore(layout).Load();
        if (state.Default is { } current && manifest.Version < current && !allowDowngrade)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Image {manifest.Version} is older than the confirmed default {current}: refusing a downgrade (pass --allow-downgrade, or use rollback for an image still present).");
        }
        if (File.Exists(layout.ImagePath(manifest.Version)))
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"A different image {manifest.Version} is already present ({layout.ImagePath(manifest.Version)}); one version number names one image.");
        }
    }

    private async Task<bool> AlreadyStagedAsync(ImageManifest manifest, CancellationToken cancellationToken)
    {
        var image = layout.ImagePath(manifest.Version);
        return File.Exists(image) && ImageInventory.Manifest(layout, manifest.Version)?.Sha256 == manifest.Sha256
            && await Sha256File.ComputeAsync(image, cancellationToken) == manifest.Sha256;
    }
}
