using System.Globalization;
using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// What an appliance checks before it believes the repository (TUF-inspired): every signature against the keys its
/// trusted root allows, root rotations one version at a time and signed by the previous root's keys, no version older
/// than one already seen (rollback), nothing expired (freeze).
/// </summary>
public static class RepositoryVerifier
{
    /// <param name="newerRoots">root/N+1.json, root/N+2.json... as fetched, in order, up to the first that was missing.</param>
    public static VerifiedMetadata Verify(
        SeenMetadata seen, IReadOnlyList<SignedMetadata> newerRoots, string channel, SignedMetadata channelMetadata, DateTimeOffset now)
    {
        var root = UpdateRoot(seen.Root, newerRoots, now);
        var lastSeen = seen.ChannelVersions.TryGetValue(channel, out var version) ? version : (int?)null;
        return new VerifiedMetadata(root, VerifyChannel(root, channel, channelMetadata, lastSeen, now));
    }

    public static RootDocument UpdateRoot(RootDocument trusted, IReadOnlyList<SignedMetadata> newerRoots, DateTimeOffset now)
    {
        var current = trusted;
        foreach (var metadata in newerRoots)
        {
            current = NextRoot(current, metadata);
        }
        RequireNotExpired($"root version {current.Version}", current.Expires, now);
        return current;
    }

    /// <summary>
    /// The root after <paramref name="current"/>, vouched for by the current root's keys only: its key ids may now be
    /// believed (e.g. to know whose signatures to fetch), but it is not trusted until <see cref="NextRoot"/> passes.
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
        return next;
    }

    /// <summary>One step of the root walk: the next version, signed by the current root's keys and by its own.</summary>
    public static RootDocument NextRoot(RootDocument current, SignedMetadata metadata)
    {
        var next = VouchedRoot(current, metadata);
        RequireSignatures(next, next.Roles.Root, "roots", metadata, "a new root must also be signed by its own root keys");
        return next;
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

    private static void RequireSignatures(RootDocument keysFrom, RoleKeys role, string roleName, SignedMetadata metadata, string rule)
    {
        var allowed = role.KeyIds.ToHashSet(StringComparer.Ordinal);
        var valid = new HashSet<string>(StringComparer.Ordinal);
        var bad = new List<string>();
        var unknown = new List<string>();
        foreach (var signature in metadata.Signatures)
        {
            if (!allowed.Contains(signature.KeyId) || keysFrom.FindKey(signature.KeyId) is not { } key)
            {
                unknown.Add(signature.KeyId);
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
        var threshold = Math.Max(1, role.Threshold);
        if (valid.Count >= threshold)
        {
            return;
        }
        var trust = $"root version {keysFrom.Version} allows key(s) {string.Join(", ", allowed)} to sign {roleName}";
        var problem = bad.Count > 0 ? $"bad signature from key {string.Join(", ", bad)}: the file is not what that key signed"
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
