using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// What this appliance trusts between checks, on the host partition so it survives switching images: the newest
/// root it verified (at first the one baked into the image or provisioned at the factory; the higher version wins)
/// and the highest version it accepted of each channel. Both files are replaced atomically. A root newer than the
/// host's copy is copied to the host as soon as it is seen, from the repository or baked into the running image, so
/// rolling back to an older image never brings back an older root (and the keys it revoked).
/// </summary>
public sealed class TrustStore(HostLayout layout)
{
    public SeenMetadata Load()
    {
        var root = AdoptRootInImage() ?? ReadRoot(layout.TrustedRoot)
            ?? throw new ApplianceException(ExitCode.NotFound,
                $"This appliance trusts no repository root: neither {layout.RootInImage} (imagebuild build --trust-root) nor {layout.TrustedRoot} (imagebuild disk --trust-root) exists.");
        return new SeenMetadata(root, LoadChannelVersions(), LoadTimestampVersion());
    }

    /// <summary>Copies the running image's root to the host when it is newer than the host's; returns it then, else null.</summary>
    public RootDocument? AdoptRootInImage()
    {
        if (ReadRoot(layout.RootInImage) is not { } inImage || ReadRoot(layout.TrustedRoot) is { } onHost && onHost.Version >= inImage.Version)
        {
            return null;
        }
        Directory.CreateDirectory(layout.Trust);
        AtomicFile.WriteAllBytes(layout.TrustedRoot, File.ReadAllBytes(layout.RootInImage));
        return inImage;
    }

    /// <summary>Remembers what passed verification, before anything it names is used: a later older copy is a rollback.</summary>
    public void Save(SeenMetadata before, VerifiedMetadata verified)
    {
        Directory.CreateDirectory(layout.Trust);
        if (verified.Root.Version > (ReadRoot(layout.TrustedRoot)?.Version ?? 0))
        {
            AtomicFile.WriteAllBytes(layout.TrustedRoot, RepositoryDocuments.Serialize(verified.Root));
        }
        var seen = verified.After(before).ChannelVersions.ToDictionary();
        AtomicFile.WriteAllBytes(layout.SeenChannels, JsonSerializer.SerializeToUtf8Bytes(seen, TrustJsonContext.Default.DictionaryStringInt32));
        AtomicFile.WriteAllBytes(layout.SeenTimestamp, JsonSerializer.SerializeToUtf8Bytes(verified.Timestamp.Version, TrustJsonContext.Default.Int32));
    }

    private int? LoadTimestampVersion()
    {
        if (!File.Exists(layout.SeenTimestamp))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(layout.SeenTimestamp), TrustJsonContext.Default.Int32);
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{layout.SeenTimestamp} is not valid: {e.Message}", e);
        }
    }

    private static RootDocument? ReadRoot(string path) =>
        File.Exists(path) ? RepositoryDocuments.ParseRoot(File.ReadAllBytes(path), path) : null;

    private Dictionary<string, int> LoadChannelVersions()
    {
        if (!File.Exists(layout.SeenChannels))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(layout.SeenChannels), TrustJsonContext.Default.DictionaryStringInt32) ?? [];
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{layout.SeenChannels} is not valid: {e.Message}", e);
        }
    }
}
