using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>The release-CI workflow with the published imagebuild: keys, repository, publish through a signing command, rotation.</summary>
[Collection(SerialCollection.Name)]
public sealed class RepositoryCommandTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private string Repo => directory.File("repo");

    [ToolFact("openssl", "zstd")]
    public async Task Imagebuild_creates_publishes_re_signs_and_rotates_a_repository_that_appliances_and_openssl_verify()
    {
        var firstKey = (await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "first"))).StandardOutput.Trim();
        var secondKey = (await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "second"))).StandardOutput.Trim();
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--key", directory.File("first.pem"), "--expires-days", "7"));
        var image = await FakeImage.WriteAsync(directory.Path, 3);

        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repo, "--image", image,
            "--sign-command", $"openssl dgst -sha256 -sign '{directory.File("first.pem")}'", "--public-key", directory.File("first.pub.pem")));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "sign", "--repo", Repo, "--key", directory.File("first.pem")));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "rotate-key", "--repo", Repo,
            "--old-sign-command", $"openssl dgst -sha256 -sign '{directory.File("first.pem")}'", "--old-public-key", directory.File("first.pub.pem"),
            "--new-key", directory.File("second.pem")));

        var verified = RepositoryOnDisk.VerifyAsNewAppliance(Repo);
        Assert.Equal(2, verified.Root.Version);
        Assert.Equal(4, verified.Channel.Version);
        Assert.Equal(3, verified.Channel.Releases.Single().ImageVersion);
        Assert.Equal("Verified OK", await OpensslVerifyAsync("channels/stable.json", secondKey, "second.pub.pem"));
        Assert.Equal("Verified OK", await OpensslVerifyAsync("root/2.json", firstKey, "first.pub.pem"));
        Assert.Equal("Verified OK", await OpensslVerifyAsync("root/2.json", secondKey, "second.pub.pem"));
    }

    [Fact]
    public async Task Signing_without_a_key_or_command_is_a_usage_error()
    {
        var result = await Cli.ImageBuildAsync("repo", "sign", "--repo", Repo);
        var rotation = await Cli.ImageBuildAsync("repo", "rotate-key", "--repo", Repo, "--new-key", directory.File("second.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, rotation.ExitCode);
        Assert.Contains("--old-key", rotation.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Dispose();

    private async Task<string> OpensslVerifyAsync(string metadata, string keyId, string publicKey)
    {
        // As docs/repository.md tells operators: the signature file is named by the sha256sum of the document.
        var file = Path.Combine(Repo, metadata);
        var sha256 = (await ProcessRunner.RunAsync("sha256sum", [file])).StandardOutput.Split(' ')[0];
        var result = await ProcessRunner.RunAsync("openssl",
            ["dgst", "-sha256", "-verify", directory.File(publicKey), "-signature", Path.Combine(Repo, "signatures", $"{sha256}.{keyId}.sig"), file]);
        return result.StandardOutput.Trim();
    }
}
