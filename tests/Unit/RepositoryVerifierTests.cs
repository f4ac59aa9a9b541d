using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Tests.Support;
using static Appliance.Tests.Support.SignedDocuments;

namespace Appliance.Tests.Unit;

/// <summary>What an appliance refuses before it believes the repository: each attack from TUF's list that applies.</summary>
public sealed class RepositoryVerifierTests : IDisposable
{
    private readonly InMemorySigner key = new();
    private readonly InMemorySigner otherKey = new();

    [Fact]
    public void A_channel_signed_by_the_channel_key_of_the_trusted_root_is_accepted()
    {
        var verified = RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", Signed(Channel(3), key), Now);

        Assert.Equal(3, verified.Channel.Version);
        Assert.Equal(3, verified.After(Seen(Root(1, key))).ChannelVersions["stable"]);
    }

    [Fact]
    public void Metadata_older_than_what_the_appliance_has_seen_is_refused_as_a_rollback_attack()
    {
        var seen = Seen(Root(1, key), channelVersion: 5);

        var error = Refused(() => RepositoryVerifier.Verify(seen, [], "stable", Signed(Channel(4), key), Now));

        Assert.Contains("rollback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_already_seen_is_accepted_again()
    {
        var verified = RepositoryVerifier.Verify(Seen(Root(1, key), channelVersion: 5), [], "stable", Signed(Channel(5), key), Now);

        Assert.Equal(5, verified.Channel.Version);
    }

    [Fact]
    public void Expired_channel_metadata_is_refused_as_a_freeze_attack()
    {
        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", Signed(Channel(2, expires: Now.AddSeconds(-1)), key), Now));

        Assert.Contains("freeze attack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_root_is_refused_as_a_freeze_attack()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, key, expires: Now.AddDays(-1)), [], Now));

        Assert.Contains("freeze attack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_changed_after_it_was_signed_is_refused_for_a_bad_signature()
    {
        var signed = Signed(Channel(2), key);
        var tampered = signed with { Content = RepositoryDocuments.Serialize(Channel(2) with { Expires = Now.AddYears(10) }) };

        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", tampered, Now));

        Assert.Contains($"bad signature from key {key.Id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_signed_by_a_key_the_root_does_not_know_is_refused_as_an_unknown_key()
    {
        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", Signed(Channel(2), otherKey), Now));

        Assert.Contains($"unknown key(s) {otherKey.Id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_filed_under_a_trusted_key_id_but_made_by_another_key_is_a_bad_signature()
    {
        var content = RepositoryDocuments.Serialize(Channel(2));
        var forged = new SignedMetadata("channels/stable.json", content, [new DetachedSignature(key.Id, otherKey.Sign(content))]);

        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", forged, Now));

        Assert.Contains("bad signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_metadata_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", Signed(Channel(2)), Now));

        Assert.Contains("no signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_served_in_place_of_another_channel_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [], "stable", Signed(Channel(9, name: "testing"), key) with { Path = "channels/stable.json" }, Now));

        Assert.Contains("'testing', not 'stable'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_of_two_is_not_met_by_two_signatures_of_the_same_key()
    {
        var root = Root(1, key) with
        {
            Keys = [key.PublicKey, otherKey.PublicKey],
            Roles = new RootRoles(new RoleKeys([key.Id], 1), new RoleKeys([key.Id, otherKey.Id], 2)),
        };
        var once = Signed(Channel(2), key);

        Refused(() => RepositoryVerifier.VerifyChannel(root, "stable", once with { Signatures = [.. once.Signatures, .. once.Signatures] }, null, Now));
        Assert.Equal(2, RepositoryVerifier.VerifyChannel(root, "stable", Signed(Channel(2), key, otherKey), null, Now).Version);
    }

    [Fact]
    public void A_key_rotation_signed_by_the_old_and_the_new_key_is_accepted_and_the_new_key_signs_channels()
    {
        var rotated = Root(2, otherKey);

        var verified = RepositoryVerifier.Verify(Seen(Root(1, key)), [Signed(rotated, key, otherKey)], "stable", Signed(Channel(2), otherKey), Now);

        Assert.Equal(2, verified.Root.Version);
        Assert.Equal([otherKey.Id], verified.Root.Roles.Channels.KeyIds);
    }

    [Fact]
    public void A_key_rotation_not_signed_by_the_previous_root_keys_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, key), [Signed(Root(2, otherKey), otherKey)], Now));

        Assert.Contains("must be signed by the root keys of version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_rotation_not_signed_by_its_own_new_keys_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, key), [Signed(Root(2, otherKey), key)], Now));

        Assert.Contains("its own root keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_rotation_the_old_key_can_no_longer_sign_channels()
    {
        var error = Refused(() => RepositoryVerifier.Verify(Seen(Root(1, key)), [Signed(Root(2, otherKey), key, otherKey)], "stable", Signed(Channel(2), key), Now));

        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_not_newer_than_the_trusted_one_is_refused_as_a_rollback_attack()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(3, key), [Signed(Root(2, key), key)], Now));

        Assert.Contains("rollback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_skips_a_version_is_refused()
    {
        var error = Refused(() => RepositoryVerifier.UpdateRoot(Root(1, key), [Signed(Root(3, key), key)], Now));

        Assert.Contains("version 2 must come first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roots_are_walked_version_by_version_through_several_rotations_and_expired_intermediate_roots()
    {
        using var thirdKey = new InMemorySigner();
        var chain = new[]
        {
            Signed(Root(2, otherKey, expires: Now.AddDays(-30)), key, otherKey),
            Signed(Root(3, thirdKey), otherKey, thirdKey),
        };

        var root = RepositoryVerifier.UpdateRoot(Root(1, key), chain, Now);

        Assert.Equal(3, root.Version);
        Assert.Equal(thirdKey.Id, root.Keys.Single().Id);
    }

    public void Dispose()
    {
        key.Dispose();
        otherKey.Dispose();
    }

    private static SeenMetadata Seen(RootDocument root, int? channelVersion = null) =>
        new(root, channelVersion is { } version ? new Dictionary<string, int> { ["stable"] = version } : new Dictionary<string, int>());

    private static ApplianceException Refused(Action verify)
    {
        var error = Assert.Throws<ApplianceException>(verify);
        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        return error;
    }
}
