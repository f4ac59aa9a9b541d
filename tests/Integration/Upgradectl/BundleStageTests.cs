using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// Local installs (USB stick, support laptop): <c>imagebuild bundle</c> signs, <c>upgradectl stage N.bundle</c> checks
/// the bundle against the appliance's trust root and product line before it copies the image, on a temporary root.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class BundleStageTests : IAsyncLifetime
{
    private const string Tools = "mke2fs";
    private readonly TempDirectory directory = new();
    private ApplianceRoot appliance = null!;

    private string Repo => directory.File("repo");

    public async Task InitializeAsync()
    {
        appliance = await ApplianceRoot.CreateAsync(directory);
        foreach (var name in (string[])["root", "release", "other"])
        {
            await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", name));
        }
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--root-key", directory.File("root.pem"), "--release-key", directory.File("release.pem")));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck", "openssl")]
    public async Task A_bundle_signed_by_the_release_key_is_verified_against_the_trust_root_and_staged()
    {
        appliance.ProvisionTrustRoot(Repo);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        var bundle = await BundleAsync(second, "release");

        var result = await appliance.SucceedAsync("stage", bundle);

        Assert.Contains("staged image 2", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.Equal(await File.ReadAllBytesAsync(second.ManifestPath), await File.ReadAllBytesAsync(Path.Combine(appliance.Images, "2.manifest.json")));
        // The bundle document is signed as repository metadata is: openssl checks it with the release public key.
        var content = await File.ReadAllBytesAsync(Path.Combine(bundle, BundleDocument.FileName));
        var keyId = RepositoryOnDisk.FirstRoot(Repo).Roles.Channels.KeyIds.Single();
        var openssl = await ProcessRunner.RunAsync("openssl", ["dgst", "-sha256", "-verify", directory.File("release.pub.pem"),
            "-signature", Path.Combine(bundle, RepositoryLayout.SignaturePath(content, keyId)), Path.Combine(bundle, BundleDocument.FileName)]);
        Assert.Equal("Verified OK", openssl.StandardOutput.Trim());
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task An_image_file_is_refused_without_a_bundle_unless_insecure_unsigned_is_given()
    {
        appliance.ProvisionTrustRoot(Repo);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);

        var refused = await appliance.RunAsync("stage", second.ImagePath);

        Assert.Equal((int)ExitCode.VerificationFailed, refused.ExitCode);
        Assert.Contains("is not a signed bundle", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("--insecure-unsigned", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "signed-by-another-key", (int)ExitCode.VerificationFailed, "signed only by unknown key" },
        { "signed-by-the-root-key", (int)ExitCode.VerificationFailed, "which may not sign channels and bundles" },
        { "image-changed", (int)ExitCode.VerificationFailed, "its SHA-256 is" },
        { "manifest-swapped", (int)ExitCode.VerificationFailed, "but the signed metadata says" },
        { "another-product-line", (int)ExitCode.VerificationFailed, "is for the product line 'edge-router', but this appliance is 'test'" },
        { "no-trust-root", (int)ExitCode.NotFound, "trusts no repository root" },
    };

    [ToolTheory(Tools, "grub-editenv", "debugfs", "e2fsck")]
    [MemberData(nameof(Refusals))]
    public async Task A_bundle_that_fails_a_check_is_refused_and_the_appliance_is_left_as_it_was(string fault, int exitCode, string reason)
    {
        if (fault != "no-trust-root")
        {
            appliance.ProvisionTrustRoot(Repo);
        }
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        if (fault == "another-product-line")
        {
            await File.WriteAllBytesAsync(second.ManifestPath, ManifestSerializer.Serialize(second.Manifest with { SpecName = "edge-router" }));
        }
        var bundle = await BundleAsync(second, fault switch { "signed-by-another-key" => "other", "signed-by-the-root-key" => "root", _ => "release" });
        await DamageAsync(fault, bundle);
        var before = await appliance.BootStateAsync();

        var result = await appliance.RunAsync("stage", bundle);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        Assert.Equal(before, await appliance.BootStateAsync());
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> BundleAsync(TestImage image, string key)
    {
        var output = directory.File($"{image.Version}-{key}.bundle");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("bundle", "--image", image.ImagePath, "--key", directory.File(key + ".pem"), "--out", output));
        return output;
    }

    private static async Task DamageAsync(string fault, string bundle)
    {
        switch (fault)
        {
            case "image-changed":
                await using (var stream = new FileStream(Path.Combine(bundle, "2.img"), FileMode.Open, FileAccess.ReadWrite))
                {
                    stream.Position = stream.Length / 2;
                    var value = stream.ReadByte();
                    stream.Position = stream.Length / 2;
                    stream.WriteByte((byte)(value ^ 0x01));
                }
                break;
            case "manifest-swapped":
                // A manifest that matches a changed image: consistent with itself, but not the one the release key signed.
                var manifest = Path.Combine(bundle, "2.manifest.json");
                var original = ManifestSerializer.Deserialize(await File.ReadAllBytesAsync(manifest), manifest);
                await File.WriteAllBytesAsync(manifest, ManifestSerializer.Serialize(original with { Sha256 = new string('0', 64) }));
                break;
        }
    }
}
