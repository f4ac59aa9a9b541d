using Appliance.Core.Delta;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Publishes a built image (<c>N.img</c> and <c>N.manifest.json</c> beside it) into a channel: the compressed image,
/// the manifest and a delta from each given earlier image as objects, then the release entry, signed. Deltas already
/// listed for the version are kept unless a new one from the same version replaces them.
/// </summary>
public sealed class ImagePublisher(RepositoryWriter repository, IStepProgress progress)
{
    public async Task<ReleaseEntry> PublishAsync(
        string image, IReadOnlyList<string> deltaBases, string channel, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var target = await VerifiedImageFile.LoadAsync(image, progress, cancellationToken);
        var bases = new List<VerifiedImageFile>();
        foreach (var baseImage in deltaBases)
        {
            var loaded = await VerifiedImageFile.LoadAsync(baseImage, progress, cancellationToken);
            if (loaded.Manifest.Version >= target.Manifest.Version)
            {
                throw new ApplianceException(ExitCode.InvalidInput,
                    $"A delta base must be older than the image: {baseImage} is version {loaded.Manifest.Version}, the image {target.Manifest.Version}.");
            }
            bases.Add(loaded);
        }

        var work = Path.Combine(repository.Directory, $".publish-{Path.GetRandomFileName()}");
        Directory.CreateDirectory(work);
        try
        {
            var compressed = Path.Combine(work, Path.GetFileName(image) + ".zst");
            await progress.RunAsync($"Compressing {Path.GetFileName(image)} (zstd -19)", fraction => FullImageCompressor.CompressAsync(image, compressed, fraction, cancellationToken));
            var full = await repository.AddObjectAsync(compressed, cancellationToken);
            var manifestCopy = Path.Combine(work, "manifest.json");
            await File.WriteAllBytesAsync(manifestCopy, target.ManifestBytes, cancellationToken);
            var manifestObject = await repository.AddObjectAsync(manifestCopy, cancellationToken);
            var deltas = new List<DeltaObject>();
            foreach (var baseImage in bases)
            {
                deltas.Add(await AddDeltaAsync(baseImage, target, work, cancellationToken));
            }
            var kept = repository.LoadChannel(channel).Find(target.Manifest.Version)?.Deltas
                .Where(delta => deltas.All(added => added.FromVersion != delta.FromVersion)) ?? [];
            var manifest = target.Manifest;
            var release = new ReleaseEntry(manifest.Version, manifest.Sha256, manifest.SizeBytes, manifestObject,
                new FullImageObject(full.Sha256, full.Size, FullImageObject.Zstd), [.. kept.Concat(deltas).OrderBy(delta => delta.FromVersion)]);
            await repository.AddReleaseAsync(channel, release, signer, lifetime, cancellationToken);
            return release;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<DeltaObject> AddDeltaAsync(VerifiedImageFile from, VerifiedImageFile to, string work, CancellationToken cancellationToken)
    {
        var file = Path.Combine(work, $"{from.Manifest.Version}-{to.Manifest.Version}.delta");
        await progress.RunAsync($"Delta {from.Manifest.Version} -> {to.Manifest.Version}", _ => Task.Run(() =>
        {
            using var baseImage = new FileStream(from.Image, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var target = new FileStream(to.Image, FileMode.Open, FileAccess.Read, FileShare.Read);
            return AtomicFile.Write(file, delta => DeltaWriter.Write(baseImage, target, delta, new DeltaOptions(), cancellationToken));
        }, cancellationToken));
        var added = await repository.AddObjectAsync(file, cancellationToken);
        return new DeltaObject(from.Manifest.Version, from.Manifest.Sha256, added.Sha256, added.Size);
    }
}
