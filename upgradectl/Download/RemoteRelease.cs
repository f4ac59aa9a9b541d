using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// A release as the repository offers it, after every check: verified metadata (remembered at once, so an older copy
/// is refused from now on), the release entry, its manifest (an object whose hash the channel signs) and the
/// smallest way to get it here by our own objects (null when the release is published as ZFS streams only).
/// </summary>
public sealed record RemoteRelease(VerifiedMetadata Metadata, ReleaseEntry Release, ImageManifest Manifest, DownloadChoice? Download)
{
    /// <param name="version">The release to get; null: the newest in the channel.</param>
    public static async Task<RemoteRelease> ResolveAsync(RepositoryClient repository, HostLayout layout, string channel, int? version, TimeProvider clock, CancellationToken cancellationToken)
    {
        var trust = new TrustStore(layout);
        var seen = trust.Load();
        var verified = await repository.FetchVerifiedAsync(seen, channel, clock.GetUtcNow(), cancellationToken);
        trust.Save(seen, verified);
        var release = (version is { } wanted ? verified.Channel.Find(wanted) : verified.Channel.Releases.MaxBy(entry => entry.ImageVersion))
            ?? throw new ApplianceException(ExitCode.NotFound,
                $"Channel '{channel}' version {verified.Channel.Version} has no release {(version is null ? "at all" : version.ToString())}.");
        var description = $"the manifest of image {release.ImageVersion}";
        var manifest = ManifestSerializer.Deserialize(await repository.FetchObjectAsync(release.Manifest, description, cancellationToken), description);
        if (!release.IsDescribedBy(manifest))
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{description} (version {manifest.Version}, sha256 {manifest.Sha256}, {manifest.SizeBytes} bytes) does not describe the release the channel signs (sha256 {release.ImageSha256}, {release.ImageSize} bytes): refused.");
        }
        return new RemoteRelease(verified, release, manifest, DownloadChoice.Choose(release, LocalImage.Present(layout)));
    }
}
