using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Processes;
using Appliance.Platform.Signing;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>Our signatures against the real openssl, and openssl as the signing command (as a token or KMS would be).</summary>
[Collection(SerialCollection.Name)]
public sealed class RepositorySigningTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly RepositoryKey key;

    public RepositorySigningTests()
    {
        key = SigningKeyFiles.Generate(directory.Path, "signing-key");
    }

    private string PrivateKey => directory.File("signing-key.pem");

    private string PublicKey => directory.File("signing-key.pub.pem");

    [ToolFact("openssl")]
    public async Task Openssl_dgst_verify_accepts_the_signature_we_write()
    {
        var content = RepositoryDocuments.Serialize(SignedDocuments.Channel(7));
        await File.WriteAllBytesAsync(directory.File("stable.json"), content);
        await File.WriteAllBytesAsync(directory.File("stable.json.sig"), await new KeyFileSigner(PrivateKey).SignAsync(content, CancellationToken.None));

        var result = await ProcessRunner.RunAsync("openssl",
            ["dgst", "-sha256", "-verify", PublicKey, "-signature", directory.File("stable.json.sig"), directory.File("stable.json")]);

        Assert.Equal("Verified OK", result.StandardOutput.Trim());
    }

    [ToolFact("openssl")]
    public async Task The_key_id_is_the_sha256_of_the_public_key_der_as_openssl_writes_it()
    {
        await ProcessRunner.RunAsync("openssl", ["pkey", "-pubin", "-in", PublicKey, "-outform", "DER", "-out", directory.File("public.der")]);

        Assert.Equal(key.Id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(directory.File("public.der")))));
    }

    [ToolFact("openssl")]
    public async Task A_command_signer_running_openssl_makes_signatures_an_appliance_accepts()
    {
        var signer = new CommandSigner(["openssl", "dgst", "-sha256", "-sign", PrivateKey], SigningKeyFiles.ReadPublicKey(PublicKey));
        var content = RepositoryDocuments.Serialize(SignedDocuments.Channel(2));
        var online = new RoleKeys([key.Id], 1);
        var root = new RootDocument(1, SignedDocuments.Now.AddDays(1), [key], new RootRoles(online, online, online));

        var signature = await signer.SignAsync(content, CancellationToken.None);
        var channel = RepositoryVerifier.VerifyChannel(root, "stable",
            new SignedMetadata("channels/stable.json", content, [new DetachedSignature(key.Id, signature)]), null, SignedDocuments.Now);

        Assert.Equal(2, channel.Version);
    }

    [ToolFact("openssl")]
    public async Task A_signing_command_that_uses_another_key_is_caught_before_its_signature_is_used()
    {
        SigningKeyFiles.Generate(directory.Path, "other");
        var signer = new CommandSigner(["openssl", "dgst", "-sha256", "-sign", directory.File("other.pem")], SigningKeyFiles.ReadPublicKey(PublicKey));

        var error = await Assert.ThrowsAsync<ApplianceException>(() => signer.SignAsync("x"u8.ToArray(), CancellationToken.None));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
    }

    [Fact]
    public void A_private_key_file_is_readable_by_its_owner_only_and_never_overwritten()
    {
        Assert.Equal(SigningKeyFiles.PrivateKeyMode, File.GetUnixFileMode(PrivateKey));
        Assert.Equal(ExitCode.InvalidInput, Assert.Throws<ApplianceException>(() => SigningKeyFiles.Generate(directory.Path, "signing-key")).ExitCode);
    }

    public void Dispose() => directory.Dispose();
}
