using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// Real builds with debootstrap, shared by the end-to-end tests because each takes about two minutes: image 1 from
/// the default spec twice (for reproducibility), image 2 (default + less) with image 1 as base, and a factory disk.
/// Everything is built through the imagebuild executable, exactly as release CI runs it.
/// </summary>
public sealed class BuiltImages : IAsyncLifetime
{
    public const long SourceDateEpoch = 1763700000;

    // APPLIANCE_TEST_IMAGES keeps the builds in a directory across runs, for developers iterating on the VM tests;
    // CI leaves it unset and builds everything afresh.
    private static readonly string? KeptImages = Environment.GetEnvironmentVariable("APPLIANCE_TEST_IMAGES");

    private readonly TempDirectory? temporary = KeptImages is null ? new TempDirectory() : null;

    public string? SkipReason { get; } = RootFactAttribute.SkipReason(["debootstrap", "mke2fs", "zerofree", "rsync", "grub-mkstandalone", "sfdisk", "mkfs.vfat", "mcopy"]);

    private string Root => KeptImages ?? temporary!.Path;

    public string FirstImage => Path.Combine(Root, "first", "1.img");

    public string FirstManifest => Path.Combine(Root, "first", "1.manifest.json");

    public string RebuiltImage => Path.Combine(Root, "again", "1.img");

    public string RebuiltManifest => Path.Combine(Root, "again", "1.manifest.json");

    public string LayoutPreservedImage => Path.Combine(Root, "second", "2.img");

    public string LayoutPreservedManifest => Path.Combine(Root, "second", "2.manifest.json");

    public string Disk => Path.Combine(Root, "disk.raw");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null || (KeptImages is not null && File.Exists(Disk)))
        {
            return;
        }
        var epoch = SourceDateEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Cli.SucceedAsync(Cli.ImageBuildAsync("build", "--version", "1", "--out", Path.GetDirectoryName(FirstImage)!,
            "--cache", Checkout.DebCache, "--source-date-epoch", epoch, "--git-tag", "v1"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("build", "--spec", Checkout.DefaultSpec, "--version", "1", "--out", Path.GetDirectoryName(RebuiltImage)!,
            "--cache", Checkout.DebCache, "--source-date-epoch", epoch, "--git-tag", "v1"));

        var secondSpec = Path.Combine(Root, "second.yaml");
        var spec = await File.ReadAllTextAsync(Checkout.DefaultSpec);
        await File.WriteAllTextAsync(secondSpec, spec.Replace("  - e2fsprogs\n", "  - e2fsprogs\n  - less\n", StringComparison.Ordinal));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("build", "--spec", secondSpec, "--version", "2", "--base", FirstImage,
            "--out", Path.GetDirectoryName(LayoutPreservedImage)!, "--cache", Checkout.DebCache, "--source-date-epoch", epoch));

        await Cli.SucceedAsync(Cli.ImageBuildAsync("disk", "--image", FirstImage, "--out", Disk, "--size", "2048"));
    }

    public async Task DisposeAsync()
    {
        await Task.CompletedTask;
        temporary?.Dispose();
    }

    /// <summary>Nonzero blocks among the free blocks of an image, as zerofree counts them.</summary>
    public static async Task<long> NonzeroFreeBlocksAsync(string image)
    {
        var output = (await ProcessRunner.RunAsync("zerofree", ["-n", "-v", image])).StandardOutput;
        return long.Parse(output.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
