using System.Security.Cryptography;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class RepositoryModelTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("objects/sha256/" + Hex, RepositoryPathKind.Object)]
    [InlineData("root/1.json", RepositoryPathKind.Metadata)]
    [InlineData("root/12.json", RepositoryPathKind.Metadata)]
    [InlineData("channels/stable.json", RepositoryPathKind.Metadata)]
    [InlineData("timestamp.json", RepositoryPathKind.Metadata)]
    [InlineData("signatures/" + Hex + "." + Hex + ".sig", RepositoryPathKind.Signature)]
    public void Paths_of_the_layout_are_served_with_their_kind(string path, RepositoryPathKind kind) =>
        Assert.Equal(kind, RepositoryLayout.Classify(path));

    [Theory]
    [InlineData("")]
    [InlineData("objects/sha256/")]
    [InlineData("objects/sha256/" + Hex + "\n")]
    [InlineData("objects/sha256/.incoming-abc")]
    [InlineData("objects/sha256/../../signing-key.pem")]
    [InlineData("channels/../signing-key.pem")]
    [InlineData("channels/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("channels/.stable.json.tmp-42")]
    [InlineData("root/0.json")]
    [InlineData("timestamp.json.tmp-42")]
    [InlineData("channels/timestamp.json/../x")]
    [InlineData("channels/stable.json." + Hex + ".sig")]
    [InlineData("signatures/" + Hex + ".sig")]
    [InlineData("/etc/passwd")]
    [InlineData("signing-key.pem")]
    public void Anything_else_is_not_part_of_the_layout(string path) => Assert.Null(RepositoryLayout.Classify(path));

    [Theory]
    [InlineData("Stable")]
    [InlineData("../stable")]
    [InlineData("")]
    public void A_channel_name_that_is_not_a_plain_lowercase_name_is_refused(string name) =>
        Assert.Equal(ExitCode.InvalidInput, Assert.Throws<ApplianceException>(() => RepositoryLayout.ChannelPath(name)).ExitCode);

    [Fact]
    public void A_raw_r_s_signature_from_a_pkcs11_token_is_stored_as_der_that_verifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var content = "metadata"u8.ToArray();
        var description = SignatureScheme.DescribeKey(key);
        // Many signatures, so that r or s with leading zero bytes occur as well.
        for (var i = 0; i < 64; i++)
        {
            var raw = key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            Assert.True(SignatureScheme.Verify(description, content, SignatureScheme.ToDer(raw)));
        }
    }

    [Fact]
    public void A_key_that_is_not_on_p256_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Equal(ExitCode.InvalidInput,
            Assert.Throws<ApplianceException>(() => SignatureScheme.DescribePublicKeyPem(key.ExportSubjectPublicKeyInfoPem(), "test key")).ExitCode);
    }

    [Fact]
    public void Documents_missing_a_field_are_refused_rather_than_read_with_defaults()
    {
        var error = Assert.Throws<ApplianceException>(() =>
            RepositoryDocuments.ParseChannel("""{"channel":"stable","releases":[]}"""u8, "channels/stable.json"));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void A_release_is_published_as_zfs_streams_only_or_refused_when_it_leaves_an_appliance_no_way_in()
    {
        var streamsOnly = new ReleaseEntry(5, Hex, 10, new ObjectReference(Hex, 1), null, [], new ZfsFullObject(7, 16384, Hex, 1));
        var parsed = RepositoryDocuments.ParseChannel(RepositoryDocuments.Serialize(SignedDocuments.Channel(1).WithRelease(streamsOnly)), "channels/stable.json");
        Assert.True(parsed.Find(5)!.ZfsStreamsOnly);

        foreach (var (release, problem) in new[]
        {
            (streamsOnly with { ZfsFull = null }, "neither a full object nor a full ZFS stream"),
            (streamsOnly with { Deltas = [new DeltaObject(4, Hex, Hex, 1)] }, "lists deltas but no full object"),
        })
        {
            var json = RepositoryDocuments.Serialize(SignedDocuments.Channel(1) with { Releases = [release] });
            var error = Assert.Throws<ApplianceException>(() => RepositoryDocuments.ParseChannel(json, "channels/stable.json"));
            Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_published_version_cannot_be_replaced_by_other_bytes()
    {
        var release = new ReleaseEntry(5, Hex, 10, new ObjectReference(Hex, 1), new FullImageObject(Hex, 1, FullImageObject.Zstd), []);
        var channel = SignedDocuments.Channel(1).WithRelease(release);

        Assert.Equal(ExitCode.InvalidInput,
            Assert.Throws<ApplianceException>(() => channel.WithRelease(release with { ImageSha256 = new string('f', 64) })).ExitCode);
        Assert.Single(channel.WithRelease(release with { Deltas = [new DeltaObject(4, Hex, Hex, 1)] }).Releases);
    }

    [Fact]
    public void Publishing_a_version_again_adds_its_new_deltas_and_keeps_the_others()
    {
        var other = new string('e', 64);
        var release = new ReleaseEntry(5, Hex, 10, new ObjectReference(Hex, 1), new FullImageObject(Hex, 1, FullImageObject.Zstd),
            [new DeltaObject(3, Hex, Hex, 1), new DeltaObject(4, Hex, Hex, 1)]);
        var channel = SignedDocuments.Channel(1).WithRelease(release);

        var updated = channel.WithRelease(release with { Deltas = [new DeltaObject(4, Hex, other, 2), new DeltaObject(2, Hex, other, 2)] });

        Assert.Equal([(2, other), (3, Hex), (4, other)], updated.Find(5)!.Deltas.Select(delta => (delta.FromVersion, delta.Sha256)));
    }
}
