using Appliance.Core.Manifests;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.EndToEnd;

/// <summary>A product's image: its own .deb and the distribution's security fixes inside, and where each package came from.</summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class ProductImageTests(BuiltImages images)
{
    [RootFact("debootstrap", "debugfs")]
    public async Task The_local_package_is_installed_enabled_and_its_health_check_is_in_place()
    {
        foreach (var path in (string[])["/usr/bin/appliance-hello", "/etc/appliance-hello/greeting.conf",
                     "/etc/systemd/system/multi-user.target.wants/appliance-hello.service"])
        {
            Assert.DoesNotContain("File not found", await StatAsync(path), StringComparison.Ordinal);
        }
        Assert.Contains("Mode:  0755", await StatAsync("/etc/appliance/health.d/50-appliance-hello"), StringComparison.Ordinal);
        var manifest = ManifestFile.Read(images.FirstManifest);
        Assert.Contains("/etc/appliance-hello", manifest.CarryOver);
    }

    [RootFact("debootstrap", "debugfs")]
    public async Task The_manifest_records_each_package_origin_local_and_security_among_them()
    {
        var manifest = ManifestFile.Read(images.FirstManifest);

        Assert.Contains(new InstalledPackage("appliance-hello", "1.0.0", "all", InstalledPackage.LocalOrigin), manifest.Packages);
        Assert.Contains(manifest.Packages, p => p.Origin == "bookworm-security");
        Assert.Contains(manifest.Packages, p => p.Origin == "bookworm");
        Assert.All(manifest.Packages, p => Assert.NotNull(p.Origin));
        Assert.Equal(await Sha256File.ComputeAsync(images.FirstImage, default), manifest.Sha256);
    }

    [RootFact("debootstrap", "debugfs")]
    public async Task The_extra_sources_stay_in_the_image_and_the_build_local_repository_does_not()
    {
        var sources = await CatAsync("/etc/apt/sources.list.d/appliance.list");
        Assert.Contains("http://deb.debian.org/debian-security bookworm-security main", sources, StringComparison.Ordinal);
        Assert.Contains("bookworm-updates main", sources, StringComparison.Ordinal);
        Assert.Contains("File not found", await StatAsync("/etc/apt/sources.list.d/appliance-local.list"), StringComparison.Ordinal);
        Assert.Contains("File not found", await StatAsync("/var/lib/appliance-build"), StringComparison.Ordinal);
    }

    [RootFact("debootstrap", "debugfs")]
    public async Task A_build_pinned_to_a_manifest_installs_exactly_its_versions_from_the_same_origins()
    {
        var original = ManifestSerializer.Deserialize(await File.ReadAllBytesAsync(images.FirstManifest), images.FirstManifest);
        var pinned = ManifestSerializer.Deserialize(await File.ReadAllBytesAsync(images.PinnedManifest), images.PinnedManifest);

        Assert.Equal(original.Packages, pinned.Packages);
        Assert.Equal(original.KernelVersion, pinned.KernelVersion);
    }

    private Task<string> StatAsync(string path) => DebugfsAsync($"stat {path}", error: true);

    private Task<string> CatAsync(string path) => DebugfsAsync($"cat {path}", error: false);

    private async Task<string> DebugfsAsync(string request, bool error)
    {
        var result = await ProcessRunner.RunAsync("debugfs", ["-R", request, images.FirstImage]);
        return error ? result.StandardError + result.StandardOutput : result.StandardOutput;
    }
}
