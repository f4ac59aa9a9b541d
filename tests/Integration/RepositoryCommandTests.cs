using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>
/// The release-CI workflow with the published imagebuild: offline root keys (two of three needed), the online release
/// key, publish through a signing command, re-signing, the timestamp, root rotation, and what the release key cannot do.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class RepositoryCommandTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private string Repo => directory.File("repo");

    [ToolFact("openssl", "zstd")]
    public async Task Imagebuild_creates_publishes_re_signs_timestamps_and_rotates_a_repository_that_appliances_and_openssl_verify()
    {
        var (rootA, rootB, _) = (await KeygenAsync("root-a"), await KeygenAsync("root-b"), await KeygenAsync("root-c"));
        var (release, newRelease) = (await KeygenAsync("release"), await KeygenAsync("new-release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--root-key", Pem("root-a"), "--root-key", Pem("root-b"),
            "--root-public-key", directory.File("root-c.pub.pem"), "--root-threshold", "2", "--release-key", Pem("release"), "--expires-days", "7"));
        var image = await FakeImage.WriteAsync(directory.Path, 3);

        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repo, "--image", image,
            "--sign-command", $"openssl dgst -sha256 -sign '{Pem("release")}'", "--public-key", directory.File("release.pub.pem")));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "sign", "--repo", Repo, "--key", Pem("release")));
        var timestamp = await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "timestamp", "--repo", Repo, "--key", Pem("release"), "--timestamp-expires-hours", "6"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "rotate-root", "--repo", Repo,
            "--root-sign-command", $"openssl dgst -sha256 -sign '{Pem("root-a")}'", "--root-sign-public-key", directory.File("root-a.pub.pem"),
            "--root-key", Pem("root-b"), "--release-key", Pem("new-release")));

        Assert.StartsWith("timestamp version 4, expires", timestamp.StandardOutput, StringComparison.Ordinal);
        var verified = RepositoryOnDisk.VerifyAsNewAppliance(Repo);
        Assert.Equal(2, verified.Root.Version);
        Assert.Equal(2, verified.Root.Roles.Root.Threshold);
        Assert.Equal(3, verified.Root.Roles.Root.KeyIds.Count);
        Assert.Equal([newRelease], verified.Root.Roles.Channels.KeyIds);
        Assert.Equal(4, verified.Channel.Version);
        Assert.Equal(3, verified.Channel.Releases.Single().ImageVersion);
        Assert.Equal("Verified OK", await OpensslVerifyAsync("channels/stable.json", newRelease, "new-release.pub.pem"));
        Assert.Equal("Verified OK", await OpensslVerifyAsync("timestamp.json", newRelease, "new-release.pub.pem"));
        Assert.Equal("Verified OK", await OpensslVerifyAsync("root/1.json", rootA, "root-a.pub.pem"));
        Assert.Equal("Verified OK", await OpensslVerifyAsync("root/2.json", rootA, "root-a.pub.pem"));
        Assert.Equal("Verified OK", await OpensslVerifyAsync("root/2.json", rootB, "root-b.pub.pem"));
        Assert.DoesNotContain(release, await File.ReadAllTextAsync(Path.Combine(Repo, "root/2.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_release_key_cannot_rotate_the_root_nor_can_one_root_key_when_two_are_needed_and_a_root_key_cannot_publish()
    {
        var release = await KeygenAsync("release");
        await KeygenAsync("root-a");
        await KeygenAsync("root-b");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--root-key", Pem("root-a"), "--root-key", Pem("root-b"),
            "--root-threshold", "2", "--release-key", Pem("release")));

        var byReleaseKey = await Cli.ImageBuildAsync("repo", "rotate-root", "--repo", Repo, "--root-key", Pem("release"));
        var byOneRootKey = await Cli.ImageBuildAsync("repo", "rotate-root", "--repo", Repo, "--root-key", Pem("root-a"));
        var signedByRootKey = await Cli.ImageBuildAsync("repo", "sign", "--repo", Repo, "--key", Pem("root-a"));

        Assert.Equal((int)ExitCode.VerificationFailed, byReleaseKey.ExitCode);
        Assert.Contains($"signed only by key(s) {release}, which may not sign roots", byReleaseKey.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.VerificationFailed, byOneRootKey.ExitCode);
        Assert.Contains("1 of the 2 signatures needed are valid", byOneRootKey.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.VerificationFailed, signedByRootKey.ExitCode);
        Assert.Contains("which may not sign channels", signedByRootKey.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Repo, RepositoryLayout.RootPath(2))));
        Assert.Equal(1, RepositoryOnDisk.VerifyAsNewAppliance(Repo).Channel.Version);
    }

    [Fact]
    public async Task Init_refuses_the_release_key_as_a_root_key_and_a_threshold_above_the_number_of_root_keys()
    {
        await KeygenAsync("release");
        await KeygenAsync("root-a");

        var sameKey = await Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--root-key", Pem("release"), "--release-key", Pem("release"));
        var unreachable = await Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--root-key", Pem("root-a"), "--root-threshold", "2", "--release-key", Pem("release"));

        Assert.Equal((int)ExitCode.InvalidInput, sameKey.ExitCode);
        Assert.Contains("cannot be both a root key and the release key", sameKey.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.VerificationFailed, unreachable.ExitCode);
        Assert.Contains("needs 2 signatures of its 1 key(s)", unreachable.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Repo, "root")) && Directory.EnumerateFiles(Path.Combine(Repo, "root")).Any());
    }

    [Fact]
    public async Task Signing_without_a_key_or_command_is_a_usage_error()
    {
        var result = await Cli.ImageBuildAsync("repo", "sign", "--repo", Repo);
        var init = await Cli.ImageBuildAsync("repo", "init", "--repo", Repo, "--release-key", directory.File("release.pem"));
        var rotation = await Cli.ImageBuildAsync("repo", "rotate-root", "--repo", Repo);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, init.ExitCode);
        Assert.Contains("--root-key", init.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, rotation.ExitCode);
        Assert.Contains("--root-key", rotation.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Dispose();

    private async Task<string> KeygenAsync(string name) =>
        (await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", name))).StandardOutput.Trim();

    private string Pem(string name) => directory.File(name + ".pem");

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
