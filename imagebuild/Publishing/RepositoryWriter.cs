using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Writes a repository directory (layout: <see cref="RepositoryLayout"/>, docs/repository.md). Objects are added once
/// by content address and never rewritten; metadata is replaced by rename, signatures first, so a reader sees
/// whole files only. Every signature is checked with the appliance's own verifier before anything is written.
/// Every channel change also re-signs the timestamp that names the channels' current editions. Roles are kept
/// apart: offline root keys sign only roots, the online release key signs channels, the timestamp and bundles.
/// Changes of metadata are read-modify-write, so each holds the repository's writer lock: two publishes at once
/// both land (the second waits) instead of one silently dropping the other's release.
/// </summary>
public sealed class RepositoryWriter(string directory, TimeProvider clock, TimeSpan? timestampLifetime = null)
{
    /// <summary>How long a timestamp is valid unless told otherwise: the longest a replayed stale channel can work.</summary>
    public static readonly TimeSpan DefaultTimestampLifetime = TimeSpan.FromHours(24);

    /// <summary>Long enough for another writer's signing (an external signer may ask a token or KMS).</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(5);

    public string Directory { get; } = directory;

    public TimeSpan TimestampLifetime { get; } = timestampLifetime ?? DefaultTimestampLifetime;

    /// <summary>
    /// Root version 1 with the offline <paramref name="rootKeys"/> (signed by them) and the online
    /// <paramref name="release"/> key for channels and the timestamp, an empty channel and the first timestamp.
    /// </summary>
    public async Task InitAsync(RootKeySet rootKeys, ISigner release, string channel, TimeSpan rootLifetime, TimeSpan channelLifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        if (File.Exists(PathOf(RepositoryLayout.RootPath(1))))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{Directory} is already a repository (root/1.json exists).");
        }
        RequireOffline(rootKeys, release);
        var online = new RoleKeys([release.PublicKey.Id], 1);
        var root = new RootDocument(1, ExpiresAfter(rootLifetime), [.. rootKeys.Keys, release.PublicKey], new RootRoles(rootKeys.Role, online, online));
        var signed = await SignAsync(RepositoryLayout.RootPath(1), RepositoryDocuments.Serialize(root), rootKeys.Signers, cancellationToken);
        RepositoryVerifier.VerifySelfSigned(signed);
        Publish(signed);
        var empty = new ChannelDocument(RepositoryLayout.RequireChannelName(channel), 1, ExpiresAfter(channelLifetime), []);
        await WriteChannelAsync(root, empty, lastVersion: null, release, cancellationToken);
        await WriteTimestampAsync(root, release, cancellationToken);
        Log.Information("Repository {Directory} created: root version 1 ({Threshold} of root keys {RootKeys}), release key {KeyId}, channel {Channel}",
            Directory, rootKeys.Threshold, string.Join(", ", root.Roles.Root.KeyIds), release.PublicKey.Id, channel);
    }

    /// <summary>
    /// Root version N+1, signed by the threshold of root N's root keys (<paramref name="rootSigners"/>) and of its
    /// own: with new root keys and threshold (<paramref name="newRootKeys"/>), a new release key
    /// (<paramref name="newRelease"/>, then every channel and the timestamp are re-signed with it), or neither (a
    /// renewal of the root's expiry). The release key can never do this alone: it is not a root key.
    /// </summary>
    public async Task RotateRootAsync(IReadOnlyList<ISigner> rootSigners, RootKeySet? newRootKeys, ISigner? newRelease, TimeSpan rootLifetime, TimeSpan channelLifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        var current = LoadRoot();
        var rootKeys = newRootKeys?.Keys ?? [.. current.Roles.Root.KeyIds.Select(id => current.FindKey(id)!)];
        var online = newRelease is null ? null : new RoleKeys([newRelease.PublicKey.Id], 1);
        var (channels, timestamp) = (online ?? current.Roles.Channels, online ?? current.Roles.Timestamp);
        var onlineKeys = channels.KeyIds.Concat(timestamp.KeyIds).Select(id => newRelease?.PublicKey.Id == id ? newRelease.PublicKey : current.FindKey(id)!);
        if (newRootKeys is not null && newRelease is not null)
        {
            RequireOffline(newRootKeys, newRelease);
        }
        var next = new RootDocument(current.Version + 1, ExpiresAfter(rootLifetime), [.. rootKeys.Concat(onlineKeys).DistinctBy(key => key.Id)],
            new RootRoles(newRootKeys?.Role ?? current.Roles.Root, channels, timestamp));
        var signed = await SignAsync(RepositoryLayout.RootPath(next.Version), RepositoryDocuments.Serialize(next),
            [.. rootSigners, .. newRootKeys?.Signers ?? []], cancellationToken);
        // What every appliance will check: the current root keys vouch for it, its own root keys sign it.
        RepositoryVerifier.UpdateRoot(current, [signed], clock.GetUtcNow());
        Publish(signed);
        Log.Information("Root version {Version}: root keys {RootKeys} (threshold {Threshold}), release key(s) {Release}",
            next.Version, string.Join(", ", next.Roles.Root.KeyIds), next.Roles.Root.Threshold, string.Join(", ", channels.KeyIds));
        if (newRelease is not null)
        {
            foreach (var channel in ChannelNames())
            {
                await ResignChannelAsync(next, channel, newRelease, channelLifetime, cancellationToken);
            }
            await WriteTimestampAsync(next, newRelease, cancellationToken);
        }
    }

    /// <summary>Re-signs a channel as it is, with version + 1 and a fresh expiry (run before it expires).</summary>
    public async Task SignChannelAsync(string channel, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        var root = LoadRoot();
        await ResignChannelAsync(root, channel, signer, lifetime, cancellationToken);
        await WriteTimestampAsync(root, signer, cancellationToken);
    }

    /// <summary>
    /// A new timestamp naming the current edition of every channel, valid for <see cref="TimestampLifetime"/>: run it
    /// every few hours (well within that lifetime) from a scheduled job with the online key.
    /// </summary>
    public async Task<TimestampDocument> SignTimestampAsync(ISigner signer, CancellationToken cancellationToken)
    {
        using var writerLock = await LockAsync(cancellationToken);
        return await WriteTimestampAsync(LoadRoot(), signer, cancellationToken);
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
        var root = LoadRoot();
        await WriteChannelAsync(root, next, current.Version, signer, cancellationToken);
        await WriteTimestampAsync(root, signer, cancellationToken);
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
            await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            {
                sha256 = await SparseCopy.CopyAsync(source, incoming, null, cancellationToken);
            }
            var size = new FileInfo(incoming).Length;
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
        // Each edition is also an object under its hash, where the timestamp names it: behind a cache still serving the
        // previous channels/<name>.json, appliances fetch the edition the timestamp names from there.
        var edition = PathOf(RepositoryLayout.ObjectPath(ChannelSnapshot.Of(channel, signed.Content).Sha256));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(edition)!);
        AtomicFile.WriteAllBytes(edition, signed.Content);
        Publish(signed);
    }

    /// <summary>Written after the channels it names, so a reader never sees a timestamp naming an edition not yet there.</summary>
    private async Task<TimestampDocument> WriteTimestampAsync(RootDocument root, ISigner signer, CancellationToken cancellationToken)
    {
        var path = PathOf(RepositoryLayout.TimestampPath);
        var previous = File.Exists(path) ? RepositoryDocuments.ParseTimestamp(File.ReadAllBytes(path), RepositoryLayout.TimestampPath) : null;
        var channels = ChannelNames().Select(name =>
        {
            var channelPath = RepositoryLayout.ChannelPath(name);
            var bytes = File.ReadAllBytes(PathOf(channelPath));
            return ChannelSnapshot.Of(RepositoryDocuments.ParseChannel(bytes, channelPath), bytes);
        });
        var next = new TimestampDocument((previous?.Version ?? 0) + 1, ExpiresAfter(TimestampLifetime), [.. channels]);
        var signed = await SignAsync(RepositoryLayout.TimestampPath, RepositoryDocuments.Serialize(next), [signer], cancellationToken);
        RepositoryVerifier.VerifyTimestamp(root, signed, previous?.Version, clock.GetUtcNow());
        Publish(signed);
        Log.Information("Timestamp version {Version} signed: expires {Expires:u}", next.Version, next.Expires);
        return next;
    }

    private static void RequireOffline(RootKeySet rootKeys, ISigner release)
    {
        if (rootKeys.Keys.Any(key => key.Id == release.PublicKey.Id))
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Key {release.PublicKey.Id} cannot be both a root key and the release key: the online release key must not be able to sign a new root.");
        }
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

    private DateTimeOffset ExpiresAfter(TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + lifetime;
    }

    private string PathOf(string relativePath) => Path.Combine(Directory, relativePath);
}
