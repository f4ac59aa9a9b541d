using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// Bad package sources and packages: each fails before debootstrap (the host's apt checks the spec's sources and
/// simulates the install first) with an error naming what is wrong, and leaves no image, partial image or work tree.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class BadPackageSourceTests
{
    private const string Base = """
        name: appliance
        suite: bookworm
        mirror: http://deb.debian.org/debian
        packages: [linux-image-amd64]
        image_size_mib: 1280

        """;

    [RootFact("debootstrap", "apt-get")]
    public async Task An_unreachable_source_fails_with_exit_code_16_naming_it()
    {
        using var directory = new TempDirectory();

        var result = await BuildAsync(directory, Base + "apt_sources: [{uri: 'http://127.0.0.1:9/debian', suites: [bookworm]}]\n");

        AssertFailed(result, ExitCode.DownloadFailed, "http://127.0.0.1:9/debian", directory);
    }

    [RootFact("debootstrap", "apt-get")]
    public async Task An_unsigned_source_fails_with_exit_code_12_naming_it()
    {
        using var directory = new TempDirectory();
        var repository = Directory.CreateDirectory(directory.File("unsigned")).FullName;
        await File.WriteAllTextAsync(Path.Combine(repository, "Packages"), "");
        await File.WriteAllTextAsync(Path.Combine(repository, "Release"), "Origin: unsigned\nSuite: unsigned\n");

        var result = await BuildAsync(directory, Base + $"apt_sources: [{{uri: 'file://{repository}', suites: [./]}}]\n");

        AssertFailed(result, ExitCode.VerificationFailed, $"'file:{repository} ./ Release' is not signed", directory);
    }

    [RootFact("debootstrap", "apt-get")]
    public async Task A_missing_keyring_fails_with_exit_code_11_naming_it_before_any_work()
    {
        using var directory = new TempDirectory();

        var result = await BuildAsync(directory, Base + "apt_sources: [{uri: 'https://repo.example.com/product', suites: [stable], keyring: keys/product.gpg}]\n");

        AssertFailed(result, ExitCode.NotFound, directory.File("keys/product.gpg"), directory);
        Assert.False(Directory.Exists(directory.File("out")));
    }

    [RootFact("debootstrap", "dpkg-deb")]
    public async Task A_local_package_that_is_not_a_deb_fails_with_exit_code_10_naming_it()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.File("product_1.0_all.deb"), "not an archive\n");

        var result = await BuildAsync(directory, Base + "local_packages: [product_1.0_all.deb]\n");

        AssertFailed(result, ExitCode.InvalidInput, $"{directory.File("product_1.0_all.deb")} is not a Debian package", directory);
    }

    [RootFact("debootstrap", "dpkg-deb", "dpkg-scanpackages", "apt-get")]
    public async Task A_local_package_whose_dependency_no_source_has_fails_with_exit_code_10_naming_the_dependency()
    {
        using var directory = new TempDirectory();
        var tree = Directory.CreateDirectory(directory.File("broken/DEBIAN")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(tree, "DEBIAN/control"),
            "Package: appliance-broken\nVersion: 1.0\nArchitecture: all\nMaintainer: nobody <nobody@example.invalid>\nDepends: no-such-dependency-xyz\nDescription: needs what no source has\n");
        await ProcessRunner.RunAsync("dpkg-deb", ["--root-owner-group", "--build", tree, directory.File("appliance-broken_1.0_all.deb")]);

        var result = await BuildAsync(directory, Base + "local_packages: [appliance-broken_1.0_all.deb]\n");

        AssertFailed(result, ExitCode.InvalidInput, "appliance-broken : Depends: no-such-dependency-xyz", directory);
    }

    [RootFact("debootstrap", "apt-get")]
    public async Task A_pinned_version_no_source_has_any_more_fails_with_exit_code_10_naming_it()
    {
        using var directory = new TempDirectory();
        var earlier = new ImageManifest(1, "appliance", 1 << 30, "00", "uuid", "6.1.0-1-amd64", new Dictionary<string, string>(),
            [new InstalledPackage("less", "0.0-gone", "amd64", "bookworm")], null, 1, null, []);
        await File.WriteAllBytesAsync(directory.File("1.manifest.json"), ManifestSerializer.Serialize(earlier));

        var result = await BuildAsync(directory, Base, "--pin-from", directory.File("1.manifest.json"));

        AssertFailed(result, ExitCode.InvalidInput, "less=0.0-gone", directory);
    }

    private static async Task<ProcessResult> BuildAsync(TempDirectory directory, string spec, params string[] extra)
    {
        await File.WriteAllTextAsync(directory.File("spec.yaml"), spec);
        return await Cli.ImageBuildAsync(["build", "--spec", directory.File("spec.yaml"), "--version", "5", "--out", directory.File("out"),
            "--cache", Checkout.DebCache, "--source-date-epoch", "1", .. extra]);
    }

    private static void AssertFailed(ProcessResult result, ExitCode exitCode, string named, TempDirectory directory)
    {
        Assert.Equal((int)exitCode, result.ExitCode);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
        var output = directory.File("out");
        var left = Directory.Exists(output) ? Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).ToList() : [];
        Assert.All(left, name => Assert.Equal(".build-5.lock", name));
    }
}
