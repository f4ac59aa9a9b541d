using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Staging;

/// <summary>
/// Makes a new image present on the host partition while the appliance keeps running: checks first (version,
/// downgrade, free space), then copies under a partial name, fsyncs, verifies, and only then renames it to
/// <c>&lt;N&gt;.img</c>. A killed stage leaves at most a partial file, which the next stage or prune removes.
/// </summary>
public sealed class ImageStager(HostLayout layout, UpdaterStateStore stateStore, IProgress<long>? progress)
{
    public async Task<ImageManifest> StageAsync(StageRequest request, CancellationToken cancellationToken)
    {
        var manifest = ReadManifest(request.SourceManifest);
        var version = manifest.Version;
        var journal = OperationJournal.Begin(stateStore, "stage", version);
        await journal.RunAsync(async _ =>
        {
            journal.Step("checking");
            if (await AlreadyStagedAsync(manifest, cancellationToken))
            {
                Log.Information("Image {Version} is already staged and matches its manifest", version);
                return;
            }
            CheckVersion(manifest, request.AllowDowngrade);
            Directory.CreateDirectory(layout.Images);
            var partial = layout.PartialPath(version);
            File.Delete(partial);
            FreeSpace.Require(layout.Images, await AllocatedBytesAsync(request.SourceImage, cancellationToken) + request.ReserveBytes,
                $"image {version} and the {request.ReserveBytes / (1024 * 1024)} MiB reserve (upgradectl prune can make room)");

            journal.Step("copying");
            string sha256;
            try
            {
                await using (var source = new FileStream(request.SourceImage, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous))
                {
                    sha256 = await SparseCopy.CopyAsync(source, partial, progress, cancellationToken);
                }
                journal.Step("verifying");
                await ImageVerifier.VerifyAsync(partial, manifest, sha256, cancellationToken);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }

            journal.Step("publishing");
            AtomicFile.WriteAllBytes(layout.ManifestPath(version), ManifestSerializer.Serialize(manifest));
            AtomicFile.Publish(partial, layout.ImagePath(version));
            stateStore.Update(state => state.WithoutImage(version));
            Log.Information("Image {Version} is staged at {Path}", version, layout.ImagePath(version));
        });
        return manifest;
    }

    private static ImageManifest ReadManifest(string path)
    {
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The image's manifest {path} does not exist (pass --manifest).");
        }
        return ManifestSerializer.Deserialize(File.ReadAllBytes(path), path);
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
        if (!File.Exists(image) || !File.Exists(layout.ManifestPath(manifest.Version)))
        {
            return false;
        }
        var stored = ManifestSerializer.Deserialize(File.ReadAllBytes(layout.ManifestPath(manifest.Version)), layout.ManifestPath(manifest.Version));
        return stored.Sha256 == manifest.Sha256 && await Sha256File.ComputeAsync(image, cancellationToken) == manifest.Sha256;
    }

    /// <summary>The bytes a sparse copy of the file will take (its allocated blocks), not its apparent size.</summary>
    private static async Task<long> AllocatedBytesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The image {path} does not exist.");
        }
        var du = await ProcessRunner.RunAsync("du", ["--block-size=1", path], cancellationToken: cancellationToken);
        return long.Parse(du.StandardOutput.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
