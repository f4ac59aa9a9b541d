using System.Globalization;
using System.Security.Cryptography;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Writes a repository directory (layout: <see cref="RepositoryLayout"/>, docs/repository.md). Objects are added once
/// by content address and never rewritten; metadata is replaced by rename, signatures first, so a reader sees
/// whole files only. Every signature is checked with the appliance's own verifier before anything is written.
/// Changes of metadata are read-modify-write, so each holds the repository's writer lock: two publishes at once
/// both land (the second waits) instead of one silently dropping the other's release.
/// </summary>
public sealed class RepositoryWriter(string directory, TimeProvider clock)
{
    /// <summary>Long enough for another writer's signing (an external signer may ask a token or KMS).</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(5);

    public string Directory { get; } = directory;

    public async Task InitAsync(ISigner signer, string channel, TimeSpan rootLifetime, TimeSpan channelLifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        if (File.Exists(PathOf(RepositoryLayout.RootPath(1))))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{Directory} is already a repository (root/1.json exists).");
        }
        var keyIds = new[] { signer.PublicKey.Id };
        var root = new RootDocument(1, ExpiresAfter(rootLifetime), [signer.PublicKey],
            new RootRoles(new RoleKeys(keyIds, 1), new RoleKeys(keyIds, 1)));
        Publish(await SignAsync(RepositoryLayout.RootPath(1), RepositoryDocuments.Serialize(root), [signer], cancellationToken));
        var empty = new ChannelDocument(RepositoryLayout.RequireChannelName(channel), 1, ExpiresAfter(channelLifetime), []);
        await WriteChannelAsync(root, empty, lastVersion: null, signer, cancellationToken);
        Log.Information("Repository {Directory} created: root version 1 and channel {Channel}, key {KeyId}", Directory, channel, signer.PublicKey.Id);
    }

    /// <summary>
    /// Root version N+1 with <paramref name="newSigner"/>'s key in place of <paramref name="oldSigner"/>'s, signed by
    /// both (appliances accept it because the old key vouches for it); then every channel is re-signed with the new key.
    /// The same key as old and new renews the root's expiry.
    /// </summary>
    public async Task RotateKeyAsync(ISigner oldSigner, ISigner newSigner, TimeSpan rootLifetime, TimeSpan channelLifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        var current = LoadRoot();
        var (oldId, newId) = (oldSigner.PublicKey.Id, newSigner.PublicKey.Id);
        if (current.FindKey(oldId) is null)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Key {oldId} is not a key of root version {current.Version}.");
        }
        var next = new RootDocument(current.Version + 1, ExpiresAfter(rootLifetime),
            [.. current.Keys.Where(key => key.Id != oldId && key.Id != newId), newSigner.PublicKey],
            new RootRoles(Replace(current.Roles.Root, oldId, newId), Replace(current.Roles.Channels, oldId, newId)));
        var path = RepositoryLayout.RootPath(next.Version);
        var signed = await SignAsync(path, RepositoryDocuments.Serialize(next), [oldSigner, newSigner], cancellationToken);
        RepositoryVerifier.UpdateRoot(current, [signed], clock.GetUtcNow());
        Publish(signed);
        Log.Information("Root version {Version}: key {Old} replaced by {New}", next.Version, oldId, newId);
        foreach (var channel in ChannelNames())
        {
            await ResignChannelAsync(next, channel, newSigner, channelLifetime, cancellationToken);
        }
    }

    /// <summary>Re-signs a channel as it is, with version + 1 and a fresh expiry (run before it expires).</summary>
    public async Task SignChannelAsync(string channel, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        await ResignChannelAsync(LoadRoot(), channel, signer, lifetime, cancellationToken);
    }

    /// <summary>
    /// Adds or updates a release entry (<see cref="ChannelDocument.WithRelease"/>) and re-signs the channel. Its
    /// objects must have been added first. Returns the entry as signed, with the deltas it already had.
    /// </summary>
    public async Task<ReleaseEntry> AddReleaseAsync(string channel, ReleaseEntry release, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        foreach (var reference in release.Objects)
        {
            RequireObject(reference);
        }
        var current = LoadChannel(channel);
        var next = current.WithRelease(release).NextEdition(ExpiresAfter(lifetime));
        await WriteChannelAsync(LoadRoot(), next, current.Version, signer, cancellationToken);
        Log.Information("Channel {Channel} version {Version}: release {Release}", channel, next.Version, release.ImageVersion);
        return next.Find(release.ImageVersion)!;
    }

    /// <summary>
    /// Copies a file into the repository under its SHA-256, hashing while it copies (one read of a large image),
    /// fsynced and renamed into place. An object that exists already is kept as it is.
    /// </summary>
    public async Task<ObjectReference> AddObjectAsync(string file, CancellationToken cancellationToken)
    {
        var objects = PathOf(RepositoryLayout.ObjectsDirectory);
        System.IO.Directory.CreateDirectory(objects);
        // Dot-prefixed: never a valid object name, so never served while incomplete.
        var incoming = Path.Combine(objects, $".incoming-{Path.GetRandomFileName()}");
        try
        {
            string sha256;
            long size;
            await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            await using (var destination = new FileStream(incoming, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                destination.Flush(flushToDisk: true);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                size = destination.Length;
            }
            var reference = new ObjectReference(sha256, size);
            if (AtomicFile.PublishIfAbsent(incoming, PathOf(RepositoryLayout.ObjectPath(sha256))))
            {
                Log.Information("Object {Sha256} added ({Size} bytes) from {File}", sha256, size, file);
            }
            else
            {
                RequireObject(reference);
                Log.Information("Object {Sha256} is already in the repository", sha256);
            }
            return reference;
        }
        finally
        {
            File.Delete(incoming);
        }
    }

    /// <summary>Where an object added earlier is stored.</summary>
    public string ObjectFile(ObjectReference reference)
    {
        RequireObject(reference);
        return PathOf(RepositoryLayout.ObjectPath(reference.Sha256));
    }

    public RootDocument LoadRoot()
    {
        var versions = System.IO.Directory.Exists(PathOf(RepositoryLayout.RootDirectory))
            ? System.IO.Directory.EnumerateFiles(PathOf(RepositoryLayout.RootDirectory), "*.json")
                .Select(path => int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0)
                .Where(version => version > 0)
                .ToList()
            : [];
        if (versions.Count == 0)
        {
            throw new ApplianceException(ExitCode.NotFound, $"{Directory} is not a repository: no root/<N>.json (run 'imagebuild repo init').");
        }
        var path = RepositoryLayout.RootPath(versions.Max());
        return RepositoryDocuments.ParseRoot(File.ReadAllBytes(PathOf(path)), path);
    }

    public ChannelDocument LoadChannel(string channel)
    {
        var path = RepositoryLayout.ChannelPath(channel);
        return File.Exists(PathOf(path))
            ? RepositoryDocuments.ParseChannel(File.ReadAllBytes(PathOf(path)), path)
            : throw new ApplianceException(ExitCode.NotFound, $"Channel '{channel}' does not exist in {Directory} ({path}).");
    }

    private async Task ResignChannelAsync(RootDocument root, string channel, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var current = LoadChannel(channel);
        var next = current.NextEdition(ExpiresAfter(lifetime));
        await WriteChannelAsync(root, next, current.Version, signer, cancellationToken);
        Log.Information("Channel {Channel} signed: version {Version}, expires {Expires:u}", channel, next.Version, next.Expires);
    }

    private async Task WriteChannelAsync(RootDocument root, ChannelDocument channel, int? lastVersion, ISigner signer, CancellationToken cancellationToken)
    {
        var signed = await SignAsync(RepositoryLayout.ChannelPath(channel.Channel), RepositoryDocuments.Serialize(channel), [signer], cancellationToken);
        // What an appliance will check: refuses a key the root does not allow before anything is written.
        RepositoryVerifier.VerifyChannel(root, channel.Channel, signed, lastVersion, clock.GetUtcNow());
        Publish(signed);
    }

    private static async Task<SignedMetadata> SignAsync(string path, byte[] content, IReadOnlyList<ISigner> signers, CancellationToken cancellationToken)
    {
        var signatures = new List<DetachedSignature>();
        foreach (var signer in signers.DistinctBy(signer => signer.PublicKey.Id))
        {
            signatures.Add(new DetachedSignature(signer.PublicKey.Id, await signer.SignAsync(content, cancellationToken)));
        }
        return new SignedMetadata(path, content, signatures);
    }

    /// <summary>
    /// Signatures first, then the document. Signatures of earlier editions stay: a cache may still serve an earlier
    /// edition for its max-age, and its appliances must find the signatures it was published with (about 100 bytes
    /// per key and signing).
    /// </summary>
    private void Publish(SignedMetadata metadata)
    {
        System.IO.Directory.CreateDirectory(PathOf(RepositoryLayout.SignaturesDirectory));
        foreach (var signature in metadata.Signatures)
        {
            AtomicFile.WriteAllBytes(PathOf(RepositoryLayout.SignaturePath(metadata.Content, signature.KeyId)), signature.Der);
        }
        var target = PathOf(metadata.Path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.WriteAllBytes(target, metadata.Content);
    }

    private void RequireObject(ObjectReference reference)
    {
        var path = PathOf(RepositoryLayout.ObjectPath(reference.Sha256));
        if (!File.Exists(path) || new FileInfo(path).Length != reference.Size)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"Object {reference.Sha256} ({reference.Size} bytes) is missing from {Directory} or has another size: add it first, or repair the repository.");
        }
    }

    private IEnumerable<string> ChannelNames() =>
        System.IO.Directory.EnumerateFiles(PathOf(RepositoryLayout.ChannelsDirectory), "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);

    private async Task<FileLock> LockAsync(CancellationToken cancellationToken)
    {
        var path = PathOf(RepositoryLayout.WriterLock);
        return await FileLock.TryAcquireAsync(path, LockWait, cancellationToken)
            ?? throw new ApplianceException(ExitCode.Busy, $"Another publish, sign or key rotation of {Directory} has held {path} for {LockWait.TotalMinutes} minutes; try again when it is done.");
    }

    private static RoleKeys Replace(RoleKeys role, string oldId, string newId) =>
        role with { KeyIds = [.. role.KeyIds.Select(id => id == oldId ? newId : id).Distinct()] };

    private DateTimeOffset ExpiresAfter(TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + lifetime;
    }

    private string PathOf(string relativePath) => Path.Combine(Directory, relativePath);
}
