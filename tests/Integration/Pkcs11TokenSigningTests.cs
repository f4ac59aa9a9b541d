using System.Text.Json;
using Appliance.Core.Repository;
using Appliance.Platform.Processes;
using Appliance.Platform.Signing;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>
/// Release signing with the key in a real PKCS#11 token (SoftHSM 2 through OpenSC's pkcs11-tool), with the exact
/// --sign-command of docs/release-ci.yml; checked by openssl and by an appliance (upgradectl check against a distributor).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class Pkcs11TokenSigningTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private string Repo => directory.File("repo");

    [ToolFact("softhsm2-util", "pkcs11-tool", "openssl", "zstd", "mke2fs", "grub-editenv")]
    public async Task A_release_key_generated_inside_a_token_publishes_a_repository_that_openssl_and_an_appliance_verify()
    {
        var token = await SoftHsmToken.CreateAsync(directory.File("token"));
        var keyId = SigningKeyFiles.ReadPublicKey(token.PublicKeyPem).Id;
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "root"));
        string[] inToken = ["--sign-command", SoftHsmToken.SignCommand, "--public-key", token.PublicKeyPem];
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var image = await TestImage.CreateAsync(directory.File("images"), 2);

        await Cli.SucceedAsync(Cli.ImageBuildAsync(token.Environment, "repo", "init", "--repo", Repo, "--root-key", directory.File("root.pem"),
            "--release-sign-command", SoftHsmToken.SignCommand, "--release-public-key", token.PublicKeyPem));
        await Cli.SucceedAsync(Cli.ImageBuildAsync(token.Environment, ["publish", "--repo", Repo, "--image", image.ImagePath, .. inToken]));
        await Cli.SucceedAsync(Cli.ImageBuildAsync(token.Environment, ["repo", "timestamp", "--repo", Repo, .. inToken]));

        Assert.Equal("Verified OK", await OpensslVerifyAsync(token, keyId, RepositoryLayout.ChannelPath("stable")));
        Assert.Equal("Verified OK", await OpensslVerifyAsync(token, keyId, RepositoryLayout.TimestampPath));
        Assert.Equal([keyId], RepositoryOnDisk.FirstRoot(Repo).Roles.Channels.KeyIds);
        appliance.ProvisionTrustRoot(Repo);
        await using (var distributor = await RunningDistributor.StartAsync(Repo, directory.File("tls")))
        {
            var check = await appliance.SucceedAsync("check", "--from", distributor.Address.ToString(), "--ca-cert", distributor.CertificateFile, "--json");
            using var report = JsonDocument.Parse(check.StandardOutput);
            Assert.Equal(2, report.RootElement.GetProperty("image_version").GetInt32());
        }
        // The private key is in the token only: marked never extractable, and no file outside the token's store holds
        // a private key but the offline root key and the distributor's TLS key.
        var listed = await token.Pkcs11Async("--list-objects", "--type", "privkey");
        Assert.Contains("never extractable", listed.StandardOutput, StringComparison.Ordinal);
        string[] expected = [directory.File("root.pem"), Path.Combine(directory.File("tls"), "distributor.key.pem")];
        Assert.Equal(expected, Directory.EnumerateFiles(directory.Path, "*", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(Path.Combine(token.Directory, "tokens"), StringComparison.Ordinal) && new FileInfo(file).Length < (1 << 20))
            .Where(file => File.ReadAllText(file).Contains("PRIVATE KEY", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));
    }

    public void Dispose() => directory.Dispose();

    private async Task<string> OpensslVerifyAsync(SoftHsmToken token, string keyId, string metadata)
    {
        var file = Path.Combine(Repo, metadata);
        var signature = Path.Combine(Repo, RepositoryLayout.SignaturePath(await File.ReadAllBytesAsync(file), keyId));
        var result = await ProcessRunner.RunAsync("openssl", ["dgst", "-sha256", "-verify", token.PublicKeyPem, "-signature", signature, file]);
        return result.StandardOutput.Trim();
    }
}
