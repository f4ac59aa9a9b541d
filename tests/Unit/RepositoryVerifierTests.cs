using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Tests.Support;
using static Appliance.Tests.Support.SignedDocuments;

namespace Appliance.Tests.Unit;

/// <summary>What an appliance refuses before it believes the repository: each attack from TUF's list that applies.</summary>
public sealed class RepositoryVerifierTests : IDisposable
{
    private readonly InMemorySigner rootKey = new();
    private readonly InMemorySigner key = new();
    private readonly InMemorySigner otherRootKey = new();
    private readonly InMemorySigner otherKey = new();

    [Fact]
    public void A_channel_signed_by_the_channel_key_of_the_trusted_root_is_accepted()
    {
        var verified = VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [], "stable", Signed(Channel(3), key), Now);

        Assert.Equal(3, verified.Channel.Version);
        Assert.Equal(3, verified.After(Seen(Root(1, rootKey, key))).ChannelVersions["stable"]);
    }

    [Fact]
    public void Metadata_older_than_what_the_appliance_has_seen_is_refused_as_a_rollback_attack()
    {
        var seen = Seen(Root(1, rootKey, key), channelVersion: 5);

        var error = Refused(() => VerifyWithTimestamp(seen, [], "stable", Signed(Channel(4), key), Now));

        Assert.Contains("rollback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_already_seen_is_accepted_again()
    {
        var verified = VerifyWithTimestamp(Seen(Root(1, rootKey, key), channelVersion: 5), [], "stable", Signed(Channel(5), key), Now);

        Assert.Equal(5, verified.Channel.Version);
    }

    [Fact]
    public void Expired_channel_metadata_is_refused_as_a_freeze_attack()
    {
        var error = Refused(() => VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [], "stable", Signed(Channel(2, expires: Now.AddSeconds(-1)), key), Now));

        Assert.Contains("freeze attack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_root_is_refused_as_a_freeze_attack()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, rootKey, key, expires: Now.AddDays(-1)), [], Now));

        Assert.Contains("freeze attack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_changed_after_it_was_signed_is_refused_for_a_bad_signature()
    {
        var signed = Signed(Channel(2), key);
        var tampered = signed with { Content = RepositoryDocuments.Serialize(Channel(2) with { Expires = Now.AddYears(10) }) };

        var error = Refused(() => VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [], "stable", tampered, Now));

        Assert.Contains($"bad signature from key {key.Id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_signed_by_a_key_the_root_does_not_know_is_refused_as_an_unknown_key()
    {
        var error = Refused(() => VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [], "stable", Signed(Channel(2), otherKey), Now));

        Assert.Contains($"unknown key(s) {otherKey.Id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_filed_under_a_trusted_key_id_but_made_by_another_key_is_a_bad_signature()
    {
        var content = RepositoryDocuments.Serialize(Channel(2));
        var forged = new SignedMetadata("channels/stable.json", content, [new DetachedSignature(key.Id, otherKey.Sign(content))]);

        var error = Refused(() => VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [], "stable", forged, Now));

        Assert.Contains("bad signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_metadata_is_refused()
    {
        var error = Refused(() => VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [], "stable", Signed(Channel(2)), Now));

        Assert.Contains("no signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_served_in_place_of_another_channel_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.VerifyChannel(Root(1, rootKey, key), "stable", Signed(Channel(9, name: "testing"), key) with { Path = "channels/stable.json" }, null, Now));

        Assert.Contains("'testing', not 'stable'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_of_two_is_not_met_by_two_signatures_of_the_same_key()
    {
        var root = Root(1, rootKey, key) with
        {
            Keys = [rootKey.PublicKey, key.PublicKey, otherKey.PublicKey],
            Roles = Root(1, rootKey, key).Roles with { Channels = new RoleKeys([key.Id, otherKey.Id], 2) },
        };
        var once = Signed(Channel(2), key);

        Refused(() => RepositoryVerifier.VerifyChannel(root, "stable", once with { Signatures = [.. once.Signatures, .. once.Signatures] }, null, Now));
        Assert.Equal(2, RepositoryVerifier.VerifyChannel(root, "stable", Signed(Channel(2), key, otherKey), null, Now).Version);
    }

    [Fact]
    public void A_release_key_rotation_signed_by_the_root_key_is_accepted_and_the_new_key_signs_channels()
    {
        var rotated = Root(2, rootKey, otherKey);

        var verified = VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [Signed(rotated, rootKey)], "stable", Signed(Channel(2), otherKey), Now, otherKey);

        Assert.Equal(2, verified.Root.Version);
        Assert.Equal([otherKey.Id], verified.Root.Roles.Channels.KeyIds);
    }

    [Fact]
    public void A_root_key_rotation_signed_by_the_old_and_the_new_root_key_is_accepted()
    {
        var root = RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), [Signed(Root(2, otherRootKey, key), rootKey, otherRootKey)], Now);

        Assert.Equal([otherRootKey.Id], root.Roles.Root.KeyIds);
    }

    [Fact]
    public void A_root_signed_only_by_the_release_key_is_refused_so_a_stolen_ci_key_cannot_make_a_new_root()
    {
        using var attacker = new InMemorySigner();

        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), [Signed(Root(2, attacker, key), key, attacker)], Now));

        Assert.Contains($"signed only by key(s) {key.Id}, which may not sign roots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_rotation_not_signed_by_the_previous_root_keys_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), [Signed(Root(2, otherRootKey, key), otherRootKey)], Now));

        Assert.Contains("must be signed by the root keys of version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_rotation_not_signed_by_its_own_new_keys_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), [Signed(Root(2, otherRootKey, key), rootKey)], Now));

        Assert.Contains("its own root keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_rotation_the_old_key_can_no_longer_sign_channels()
    {
        var error = Refused(() => VerifyWithTimestamp(Seen(Root(1, rootKey, key)), [Signed(Root(2, rootKey, otherKey), rootKey)], "stable", Signed(Channel(2), key), Now, otherKey));

        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_root_needs_two_of_its_three_root_keys_when_the_threshold_is_two()
    {
        using var second = new InMemorySigner();
        using var third = new InMemorySigner();
        var first = Root(1, rootKey, key) with
        {
            Keys = [rootKey.PublicKey, second.PublicKey, third.PublicKey, key.PublicKey],
            Roles = Root(1, rootKey, key).Roles with { Root = new RoleKeys([rootKey.Id, second.Id, third.Id], 2) },
        };
        var next = Signed(first with { Version = 2 }, rootKey);

        var error = Refused(() => RepositoryVerifier.UpdateRoot(first, [next], Now));
        var accepted = RepositoryVerifier.UpdateRoot(first, [Signed(first with { Version = 2 }, rootKey, third)], Now);

        Assert.Contains("1 of the 2 signatures needed are valid", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, accepted.Version);
    }

    [Fact]
    public void A_key_id_that_is_not_the_hash_of_its_key_is_refused()
    {
        // The id of the trusted release key, with the attacker's public key under it.
        using var attacker = new InMemorySigner();
        var lying = Root(2, rootKey, key) with { Keys = [rootKey.PublicKey, attacker.PublicKey with { Id = key.Id }] };

        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), [Signed(lying, rootKey)], Now));

        Assert.Contains($"key id {key.Id} is not the SHA-256 of its public key ({attacker.Id})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_threshold_a_role_cannot_reach_or_of_zero_is_refused(int threshold)
    {
        var root = Root(1, rootKey, key);

        var error = Refused(() => RepositoryVerifier.UpdateRoot(root with { Roles = root.Roles with { Channels = new RoleKeys([key.Id], threshold) } }, [], Now));

        Assert.Contains("the threshold must be between 1 and the number of keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_whose_root_key_is_also_an_online_key_is_refused()
    {
        var root = Root(1, rootKey, key);

        var error = Refused(() => RepositoryVerifier.UpdateRoot(root with { Roles = root.Roles with { Timestamp = new RoleKeys([rootKey.Id], 1) } }, [], Now));

        Assert.Contains("both a root key and an online", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_channel_replayed_before_it_expires_is_refused_when_the_timestamp_names_a_newer_edition()
    {
        var stale = Signed(Channel(2), key);
        var timestamp = Signed(Timestamp(7, Signed(Channel(3), key)), key);

        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", timestamp, stale, Now));

        Assert.Contains("is version 2, but timestamp version 7 names version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_replay_window_is_the_timestamps_lifetime_an_expired_timestamp_is_refused_as_a_freeze_attack()
    {
        var channel = Signed(Channel(2), key);

        var fresh = RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", Signed(Timestamp(1, channel, expires: Now.AddHours(1)), key), channel, Now);
        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", Signed(Timestamp(1, channel, expires: Now.AddSeconds(-1)), key), channel, Now));

        Assert.Equal(2, fresh.Channel.Version);
        Assert.Contains("timestamp.json version 1 expired", error.Message, StringComparison.Ordinal);
        Assert.Contains("freeze attack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_published_after_the_timestamp_was_signed_is_accepted()
    {
        var timestamp = Signed(Timestamp(4, Signed(Channel(2), key)), key);

        var verified = RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", timestamp, Signed(Channel(3), key), Now);

        Assert.Equal((3, 4), (verified.Channel.Version, verified.Timestamp.Version));
        Assert.Equal(4, verified.After(Seen(Root(1, rootKey, key))).TimestampVersion);
    }

    [Fact]
    public void A_channel_of_the_version_the_timestamp_names_but_other_bytes_is_refused()
    {
        var timestamp = Signed(Timestamp(1, Signed(Channel(2), key)), key);

        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", timestamp, Signed(Channel(2, expires: Now.AddDays(9)), key), Now));

        Assert.Contains("but the timestamp names", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_older_than_one_already_seen_is_refused_as_a_rollback_attack()
    {
        var channel = Signed(Channel(2), key);

        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)) with { TimestampVersion = 9 }, [], "stable", Signed(Timestamp(8, channel), key), channel, Now));

        Assert.Contains("timestamp.json is version 8, older than version 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_not_signed_by_the_timestamp_key_or_not_naming_the_channel_is_refused()
    {
        var channel = Signed(Channel(2), key);
        var otherChannel = Signed(Channel(2, name: "testing"), key);

        var byRootKey = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", Signed(Timestamp(1, channel), rootKey), channel, Now));
        var elsewhere = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, rootKey, key)), [], "stable", Signed(Timestamp(1, otherChannel), key), channel, Now));

        Assert.Contains("which may not sign the timestamp", byRootKey.Message, StringComparison.Ordinal);
        Assert.Contains("does not name channel 'stable'", elsewhere.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_not_newer_than_the_trusted_one_is_refused_as_a_rollback_attack()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(3, rootKey, key), [Signed(Root(2, rootKey, key), rootKey)], Now));

        Assert.Contains("rollback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_skips_a_version_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), [Signed(Root(3, rootKey, key), rootKey)], Now));

        Assert.Contains("version 2 must come first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roots_are_walked_version_by_version_through_several_rotations_and_expired_intermediate_roots()
    {
        using var thirdKey = new InMemorySigner();
        var chain = new[]
        {
            Signed(Root(2, otherRootKey, key, expires: Now.AddDays(-30)), rootKey, otherRootKey),
            Signed(Root(3, thirdKey, otherKey), otherRootKey, thirdKey),
        };

        var root = RepositoryVerifier.UpdateRoot(Root(1, rootKey, key), chain, Now);

        Assert.Equal(3, root.Version);
        Assert.Equal([thirdKey.Id], root.Roles.Root.KeyIds);
    }

    public void Dispose()
    {
        rootKey.Dispose();
        key.Dispose();
        otherRootKey.Dispose();
        otherKey.Dispose();
    }

    /// <summary>Verifies with a fresh timestamp naming exactly <paramref name="channel"/>, signed by the release key.</summary>
    private VerifiedMetadata VerifyWithTimestamp(SeenMetadata seen, IReadOnlyList<SignedMetadata> roots, string name, SignedMetadata channel, DateTimeOffset now, InMemorySigner? timestampKey = null) =>
        RepositoryVerifier.Verify(seen, roots, name, Signed(Timestamp(1, channel), timestampKey ?? key), channel, now);

    private static SeenMetadata Seen(RootDocument root, int? channelVersion = null) =>
        new(root, channelVersion is { } version ? new Dictionary<string, int> { ["stable"] = version } : new Dictionary<string, int>());

    private static ApplianceException Refused(Action verify)
    {
        var error = Assert.Throws<ApplianceException>(verify);
        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        return error;
    }
}
