using System.Security.Cryptography;
using Appliance.Core.Repository;

namespace Appliance.Tests.Support;

/// <summary>Reads a repository directory the way an appliance fetches it: a metadata file with all its signature files.</summary>
public static class RepositoryOnDisk
{
    public static SignedMetadata Fetch(string repository, string path)
    {
        var content = File.ReadAllBytes(Path.Combine(repository, path));
        var prefix = Convert.ToHexStringLower(SHA256.HashData(content)) + ".";
        var signatures = Directory.EnumerateFiles(Path.Combine(repository, RepositoryLayout.SignaturesDirectory), prefix + "*.sig")
            .Select(signature => new DetachedSignature(Path.GetFileName(signature)[prefix.Length..^".sig".Length], File.ReadAllBytes(signature)))
            .ToList();
        return new SignedMetadata(path, content, signatures);
    }

    public static RootDocument FirstRoot(string repository) => ReadRoot(Path.Combine(repository, RepositoryLayout.RootPath(1)));

    public static RootDocument ReadRoot(string file) => RepositoryDocuments.ParseRoot(File.ReadAllBytes(file), file);

    /// <summary>Verifies the repository as an appliance baked with root version 1 that has seen nothing else.</summary>
    public static VerifiedMetadata VerifyAsNewAppliance(string repository, string channel = RepositoryLayout.DefaultChannel)
    {
        var newerRoots = Enumerable.Range(2, int.MaxValue - 2)
            .Select(RepositoryLayout.RootPath)
            .TakeWhile(path => File.Exists(Path.Combine(repository, path)))
            .Select(path => Fetch(repository, path))
            .ToList();
        return RepositoryVerifier.Verify(new SeenMetadata(FirstRoot(repository), new Dictionary<string, int>()), newerRoots, channel,
            Fetch(repository, RepositoryLayout.TimestampPath), Fetch(repository, RepositoryLayout.ChannelPath(channel)), DateTimeOffset.UtcNow);
    }
}
