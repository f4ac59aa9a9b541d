using System.Globalization;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// Real builds with debootstrap, shared by the end-to-end tests because each takes minutes, all of the demo's product
/// spec (the default appliance with its updates and security suites plus the example product's .deb): image 1 twice
/// (for reproducibility), image 1 pinned to the first build's manifest, image 2 (+less) with image 1 as base, and a
/// factory disk. Everything is built through the imagebuild executable, exactly as release CI runs it, and kept in
/// the <see cref="FixtureCache"/> keyed by the spec, the product's packages and the executables: a warm run skips
/// identical builds. Tests only read these files.
/// </summary>
public sealed class BuiltImages(IMessageSink diagnostics) : IAsyncLifetime
{
    public const long SourceDateEpoch = 1763700000;

    // What the builds below do, beyond their inputs: change it when the recipe changes.
    private const string Recipe = "v2: product spec; 1.img twice, 1.img pinned, 2.img (+less) on 1, disk.raw 2048 MiB";

    private string root = "";

    public string? SkipReason { get; } = RootFactAttribute.SkipReason(
        ["debootstrap", "mke2fs", "zerofree", "rsync", "dpkg-scanpackages", "grub-mkstandalone", "sfdisk", "mkfs.vfat", "mcopy"]);

    public string FirstImage => Path.Combine(root, "first", "1.img");

    public string FirstManifest => Path.Combine(root, "first", "1.manifest.json");

    public string RebuiltImage => Path.Combine(root, "again", "1.img");

    public string RebuiltManifest => Path.Combine(root, "again", "1.manifest.json");

    public string PinnedManifest => Path.Combine(root, "pinned", "1.manifest.json");

    public string LayoutPreservedImage => Path.Combine(root, "second", "2.img");

    public string LayoutPreservedManifest => Path.Combine(root, "second", "2.manifest.json");

    public string Disk => Path.Combine(root, "disk.raw");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }
        var executables = Directory.EnumerateFiles(Path.GetDirectoryName(Checkout.ImageBuild)!)
            .Where(file => file.EndsWith(".dll", StringComparison.Ordinal) || Path.GetFileName(file) is "imagebuild" or "upgradectl")
            .Order(StringComparer.Ordinal);
        var debs = Directory.EnumerateFiles(Checkout.ProductDebs, "*.deb").Order(StringComparer.Ordinal);
        var key = await FixtureCache.KeyAsync([Recipe, SourceDateEpoch.ToString(CultureInfo.InvariantCulture)], [Checkout.ProductSpec, .. debs, .. executables]);
        root = await FixtureCache.GetOrBuildAsync("built-images", key, BuildAsync, message => diagnostics.OnMessage(new DiagnosticMessage(message)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task BuildAsync(string directory)
    {
        var epoch = SourceDateEpoch.ToString(CultureInfo.InvariantCulture);
        string[] common = ["--cache", Checkout.DebCache, "--source-date-epoch", epoch];
        var first = Path.Combine(directory, "first");
        await Cli.SucceedAsync(Cli.ImageBuildAsync(["build", "--spec", Checkout.ProductSpec, "--version", "1", "--out", first, "--git-tag", "v1", .. common]));
        await Cli.SucceedAsync(Cli.ImageBuildAsync(["build", "--spec", Checkout.ProductSpec, "--version", "1", "--out", Path.Combine(directory, "again"), "--git-tag", "v1", .. common]));
        await Cli.SucceedAsync(Cli.ImageBuildAsync(["build", "--spec", Checkout.ProductSpec, "--version", "1", "--pin-from", Path.Combine(first, "1.manifest.json"),
            "--out", Path.Combine(directory, "pinned"), .. common]));

        // The spec's local package directory is relative to the spec, which here moves into the fixture.
        var secondSpec = Path.Combine(directory, "second.yaml");
        var spec = await File.ReadAllTextAsync(Checkout.ProductSpec);
        await File.WriteAllTextAsync(secondSpec, spec
            .Replace("  - e2fsprogs\n", "  - e2fsprogs\n  - less\n", StringComparison.Ordinal)
            .Replace("  - ../artifacts/debs\n", $"  - {Checkout.ProductDebs}\n", StringComparison.Ordinal));
        await Cli.SucceedAsync(Cli.ImageBuildAsync(["build", "--spec", secondSpec, "--version", "2", "--base", Path.Combine(first, "1.img"),
            "--out", Path.Combine(directory, "second"), .. common]));

        await Cli.SucceedAsync(Cli.ImageBuildAsync("disk", "--image", Path.Combine(first, "1.img"), "--out", Path.Combine(directory, "disk.raw"), "--size", "2048"));
    }

    /// <summary>Nonzero blocks among the free blocks of an image, as zerofree counts them.</summary>
    public static async Task<long> NonzeroFreeBlocksAsync(string image)
    {
        var output = (await ProcessRunner.RunAsync("zerofree", ["-n", "-v", image])).StandardOutput;
        return long.Parse(output.Split('/')[0], CultureInfo.InvariantCulture);
    }
}
