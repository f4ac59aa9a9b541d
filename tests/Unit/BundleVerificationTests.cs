using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.Tests.Support;
using static Appliance.Tests.Support.SignedDocuments;

namespace Appliance.Tests.Unit;

/// <summary>What a local install checks before a byte of the image is copied: the release key's signature, the manifest it names, the product line.</summary>
public sealed class BundleVerificationTests : IDisposable
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly ImageManifest Manifest = new(5, "appliance", 4096, Hex, "uuid", "6.1.0", new Dictionary<string, string>(), [], null, 0, null, []);
    private static readonly byte[] ManifestBytes = ManifestSerializer.Serialize(Manifest);
    private readonly InMemorySigner rootKey = new();
    private readonly InMemorySigner key = new();

    [Fact]
    public void A_bundle_signed_by_the_release_key_of_the_trusted_root_is_accepted_with_its_manifest()
    {
        var document = RepositoryVerifier.VerifyBundle(Root(1, rootKey, key), SignedBundle(key));

        Assert.Equal(("appliance", 5), (document.Compatible, document.ImageVersion));
        Assert.Equal(Manifest.Sha256, document.ReadManifest(ManifestBytes, "5.manifest.json").Sha256);
    }

    [Fact]
    public void A_bundle_signed_by_a_root_key_an_unknown_key_or_nobody_is_refused()
    {
        using var stranger = new InMemorySigner();

        Assert.Contains("which may not sign channels and bundles", Refused(() => RepositoryVerifier.VerifyBundle(Root(1, rootKey, key), SignedBundle(rootKey))).Message, StringComparison.Ordinal);
        Assert.Contains("unknown key", Refused(() => RepositoryVerifier.VerifyBundle(Root(1, rootKey, key), SignedBundle(stranger))).Message, StringComparison.Ordinal);
        Assert.Contains("no signature", Refused(() => RepositoryVerifier.VerifyBundle(Root(1, rootKey, key), SignedBundle())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_other_than_the_one_the_bundle_signs_is_refused()
    {
        var document = BundleDocument.Describe(Manifest, ManifestBytes);
        var other = ManifestSerializer.Serialize(Manifest with { Sha256 = new string('e', 64) });

        Refused(() => document.ReadManifest(other, "5.manifest.json"));
        Refused(() => (document with { Manifest = new ObjectReference(Sha(other), other.Length) }).ReadManifest(other, "5.manifest.json"));
    }

    [Fact]
    public void An_image_of_another_product_line_is_refused_with_both_names()
    {
        var error = Refused(() => ProductLine.RequireCompatible("appliance", "edge-router", "The bundle 7.bundle (image 7)"));

        Assert.Contains("product line 'edge-router', but this appliance is 'appliance'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        rootKey.Dispose();
        key.Dispose();
    }

    private static SignedMetadata SignedBundle(params InMemorySigner[] signers) =>
        Signed(BundleDocument.FileName, RepositoryDocuments.Serialize(BundleDocument.Describe(Manifest, ManifestBytes)), signers);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private static ApplianceException Refused(Action verify)
    {
        var error = Assert.Throws<ApplianceException>(verify);
        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        return error;
    }
}
