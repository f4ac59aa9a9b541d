using System.Globalization;
using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// What an appliance checks before it believes the repository (TUF-inspired): every root well formed (key ids are the
/// hashes of their keys, thresholds reachable, offline root keys kept apart from the online keys), every signature
/// against the keys its trusted root allows for that role, root rotations one version at a time and signed by the
/// previous root's keys, no version older than one already seen (rollback), nothing expired (freeze), and no channel
/// older than the edition the short-lived timestamp names (replay of a stale channel).
/// </summary>
public static class RepositoryVerifier
{
    /// <param name="newerRoots">root/N+1.json, root/N+2.json... as fetched, in order, up to the first that was missing.</param>
    public static VerifiedMetadata Verify(
        SeenMetadata seen, IReadOnlyList<SignedMetadata> newerRoots, string channel, SignedMetadata timestamp, SignedMetadata channelMetadata, DateTimeOffset now)
    {
        var root = UpdateRoot(seen.Root, newerRoots, now);
        var verifiedTimestamp = VerifyTimestamp(root, timestamp, seen.TimestampVersion, now);
        var lastSeen = seen.ChannelVersions.TryGetValue(channel, out var version) ? version : (int?)null;
        var document = VerifyChannel(root, channel, channelMetadata, lastSeen, now);
        RequireNotOlderThanTimestamp(verifiedTimestamp, document, channelMetadata);
        return new VerifiedMetadata(root, verifiedTimestamp, document);
    }

    public static RootDocument UpdateRoot(RootDocument trusted, IReadOnlyList<SignedMetadata> newerRoots, DateTimeOffset now)
    {
        RequireWellFormed(trusted, $"the trusted root version {trusted.Version}");
        var current = trusted;
        foreach (var metadata in newerRoots)
        {
            current = NextRoot(current, metadata);
        }
        RequireNotExpired($"root version {current.Version}", current.Expires, now);
        return current;
    }

    /// <summary>
    /// The root after <paramref name="current"/>, vouched for by the current root's root keys only (the channel and
    /// timestamp keys can sign no root, so a stolen online key cannot make one): its key ids may now be believed (e.g.
    /// to know whose signatures to fetch), but it is not trusted until <see cref="NextRoot"/> passes.
    /// </summary>
    public static RootDocument VouchedRoot(RootDocument current, SignedMetadata metadata)
    {
        // The previous root's keys vouch for the new root before anything in it is believed.
        RequireSignatures(current, current.Roles.Root, "roots", metadata,
            $"a new root must be signed by the root keys of version {current.Version}");
        var next = RepositoryDocuments.ParseRoot(metadata.Content, metadata.Path);
        if (next.Version <= current.Version)
        {
            throw Refused($"{metadata.Path} is root version {next.Version}, not newer than the trusted version {current.Version}: refused as a rollback attack.");
        }
        if (next.Version != current.Version + 1)
        {
            throw Refused($"{metadata.Path} is root version {next.Version} but version {current.Version + 1} must come first: root versions are walked one at a time.");
        }
        RequireWellFormed(next, metadata.Path);
        return next;
    }

    /// <summary>One step of the root walk: the next version, signed by the current root's keys and by its own.</summary>
    public static RootDocument NextRoot(RootDocument current, SignedMetadata metadata)
    {
        var next = VouchedRoot(current, metadata);
        RequireSignatures(next, next.Roles.Root, "roots", metadata, "a new root must also be signed by its own root keys");
        return next;
    }

    /// <summary>A root checked on its own (root version 1, which appliances get baked in): well formed and signed by the threshold of its own root keys.</summary>
    public static RootDocument VerifySelfSigned(SignedMetadata metadata)
    {
        var root = RepositoryDocuments.ParseRoot(metadata.Content, metadata.Path);
        RequireWellFormed(root, metadata.Path);
        RequireSignatures(root, root.Roles.Root, "roots", metadata, "a root must be signed by its own root keys");
        return root;
    }

    /// <summary>
    /// What every root must be before its keys are used: each key id is the SHA-256 of the key it names (so a key id
    /// in a signature file name cannot stand for another key), each role lists known keys once with a threshold it
    /// can reach, and no root key is also an online (channel or timestamp) key.
    /// </summary>
    public static void RequireWellFormed(RootDocument root, string origin)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in root.Keys)
        {
            if (!ids.Add(key.Id))
            {
                throw Refused($"{origin} lists key {key.Id} twice: refused.");
            }
            if (key.Algorithm != SignatureScheme.Algorithm)
            {
                throw Refused($"{origin}: key {key.Id} has algorithm '{key.Algorithm}', only {SignatureScheme.Algorithm} is accepted: refused.");
            }
            var actual = KeyIdOf(key, origin);
            if (actual != key.Id)
            {
                throw Refused($"{origin}: key id {key.Id} is not the SHA-256 of its public key ({actual}): refused, a key id must name exactly one key.");
            }
        }
        foreach (var (name, role) in new[] { ("root", root.Roles.Root), ("channels", root.Roles.Channels), ("timestamp", root.Roles.Timestamp) })
        {
            if (role.KeyIds.Distinct(StringComparer.Ordinal).Count() != role.KeyIds.Count || !role.KeyIds.All(ids.Contains))
            {
                throw Refused($"{origin}: role {name} lists a key twice or a key the root does not have: refused.");
            }
            if (role.Threshold < 1 || role.Threshold > role.KeyIds.Count)
            {
                throw Refused(string.Create(CultureInfo.InvariantCulture,
                    $"{origin}: role {name} needs {role.Threshold} signatures of its {role.KeyIds.Count} key(s): refused, the threshold must be between 1 and the number of keys."));
            }
        }
        var online = root.Roles.Channels.KeyIds.Concat(root.Roles.Timestamp.KeyIds).ToHashSet(StringComparer.Ordinal);
        if (root.Roles.Root.KeyIds.FirstOrDefault(online.Contains) is { } shared)
        {
            throw Refused($"{origin}: key {shared} is both a root key and an online (channels or timestamp) key: refused, a stolen online key could then sign a new root.");
        }
    }

    public static ChannelDocument VerifyChannel(RootDocument root, string channel, SignedMetadata metadata, int? lastSeenVersion, DateTimeOffset now)
    {
        RequireSignatures(root, root.Roles.Channels, "channels", metadata, "channel metadata must be signed by the channel keys");
        var document = RepositoryDocuments.ParseChannel(metadata.Content, metadata.Path);
        if (document.Channel != channel)
        {
            throw Refused($"{metadata.Path} describes channel '{document.Channel}', not '{channel}': refused.");
        }
        if (lastSeenVersion is { } seen && document.Version < seen)
        {
            throw Refused($"{metadata.Path} is version {document.Version}, older than version {seen} this appliance has already seen: refused as a rollback attack.");
        }
        RequireNotExpired($"{metadata.Path} version {document.Version}", document.Expires, now);
        return document;
    }

    /// <summary>The timestamp, signed by the timestamp role, not older than one already seen, not expired.</summary>
    public static TimestampDocument VerifyTimestamp(RootDocument root, SignedMetadata metadata, int? lastSeenVersion, DateTimeOffset now)
    {
        RequireSignatures(root, root.Roles.Timestamp, "the timestamp", metadata, "the timestamp must be signed by the timestamp keys");
        var document = RepositoryDocuments.ParseTimestamp(metadata.Content, metadata.Path);
        if (lastSeenVersion is { } seen && document.Version < seen)
        {
            throw Refused($"{metadata.Path} is version {document.Version}, older than version {seen} this appliance has already seen: refused as a rollback attack.");
        }
        RequireNotExpired($"{metadata.Path} version {document.Version}", document.Expires, now);
        return document;
    }

    /// <summary>
    /// A channel older than the edition the valid timestamp names is a replay (freeze attack); the same version must be
    /// the same bytes. A newer edition is accepted: it was published after the timestamp was signed (a cache may
    /// serve the new channel with the previous timestamp for up to its max-age).
    /// </summary>
    public static void RequireNotOlderThanTimestamp(TimestampDocument timestamp, ChannelDocument channel, SignedMetadata metadata)
    {
        var named = timestamp.Find(channel.Channel)
            ?? throw Refused($"timestamp version {timestamp.Version} does not name channel '{channel.Channel}': refused, its current edition cannot be told.");
        if (channel.Version < named.Version)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture,
                $"{metadata.Path} is version {channel.Version}, but timestamp version {timestamp.Version} names version {named.Version}: refused, an attacker may be replaying a stale channel to freeze this appliance (freeze attack), or a cache still serves the previous edition."));
        }
        var served = ChannelSnapshot.Of(channel, metadata.Content);
        if (channel.Version == named.Version && served != named)
        {
            throw Refused($"{metadata.Path} version {channel.Version} has sha256 {served.Sha256}, but the timestamp names {named.Sha256} for that version: refused.");
        }
    }

    /// <summary>
    /// A bundle for a local install: signed by the channel (release) keys of the root this appliance trusts, the same
    /// keys that sign what it downloads. Root expiry is not checked: a bundle is carried in by hand, often to an
    /// appliance that was offline for long, and freezing is a network attack.
    /// </summary>
    public static BundleDocument VerifyBundle(RootDocument trusted, SignedMetadata metadata)
    {
        RequireWellFormed(trusted, $"the trusted root version {trusted.Version}");
        RequireSignatures(trusted, trusted.Roles.Channels, "channels and bundles", metadata, "a bundle must be signed by the release keys");
        return RepositoryDocuments.ParseBundle(metadata.Content, metadata.Path);
    }

    private static string KeyIdOf(RepositoryKey key, string origin)
    {
        try
        {
            return SignatureScheme.DescribePublicKeyPem(key.PublicKeyPem, $"{origin}: key {key.Id}").Id;
        }
        catch (ApplianceException e)
        {
            throw Refused($"{e.Message}: refused.");
        }
    }

    private static void RequireSignatures(RootDocument keysFrom, RoleKeys role, string roleName, SignedMetadata metadata, string rule)
    {
        var allowed = role.KeyIds.ToHashSet(StringComparer.Ordinal);
        var valid = new HashSet<string>(StringComparer.Ordinal);
        var bad = new List<string>();
        var unknown = new List<string>();
        var otherRole = new List<string>();
        foreach (var signature in metadata.Signatures)
        {
            if (keysFrom.FindKey(signature.KeyId) is not { } key)
            {
                unknown.Add(signature.KeyId);
            }
            else if (!allowed.Contains(signature.KeyId))
            {
                otherRole.Add(signature.KeyId);
            }
            else if (SignatureScheme.Verify(key, metadata.Content, signature.Der))
            {
                valid.Add(signature.KeyId);
            }
            else
            {
                bad.Add(signature.KeyId);
            }
        }
        var threshold = role.Threshold;
        if (valid.Count >= threshold)
        {
            return;
        }
        var trust = $"root version {keysFrom.Version} allows key(s) {string.Join(", ", allowed)} to sign {roleName}";
        var problem = bad.Count > 0 ? $"bad signature from key {string.Join(", ", bad)}: the file is not what that key signed"
            : otherRole.Count > 0 ? $"signed only by key(s) {string.Join(", ", otherRole)}, which may not sign {roleName}"
            : unknown.Count > 0 ? $"signed only by unknown key(s) {string.Join(", ", unknown)}"
            : "no signature";
        var count = valid.Count > 0 ? $"; {valid.Count} of the {threshold} signatures needed are valid" : "";
        throw Refused($"{metadata.Path}: {problem}{count} ({rule}; {trust}).");
    }

    private static void RequireNotExpired(string what, DateTimeOffset expires, DateTimeOffset now)
    {
        if (expires <= now)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture,
                $"{what} expired at {expires:u} (now {now:u}): refused, an attacker may be replaying old metadata to freeze this appliance (freeze attack), or the repository was not re-signed in time."));
        }
    }

    private static ApplianceException Refused(string message) => new(ExitCode.VerificationFailed, message);
}
