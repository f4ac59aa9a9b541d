using System.Globalization;
using Appliance.Tests.Support;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// Two real builds of the demo's product spec (specs/demo.yaml: bookworm with its updates and security suites and the
/// example product's .deb from artifacts/debs): image 1, and image 1 again pinned to image 1's manifest.
/// </summary>
public sealed class ProductImages : IAsyncLifetime
{
    private readonly TempDirectory temporary = new();

    public string? SkipReason { get; } = RootFactAttribute.SkipReason(["debootstrap", "mke2fs", "zerofree", "rsync", "dpkg-scanpackages"]);

    public string Image => Path.Combine(temporary.Path, "product", "1.img");

    public string Manifest => Path.Combine(temporary.Path, "product", "1.manifest.json");

    public string PinnedManifest => Path.Combine(temporary.Path, "pinned", "1.manifest.json");

    public static string Spec => Path.Combine(Checkout.Root, "specs/demo.yaml");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }
        var epoch = BuiltImages.SourceDateEpoch.ToString(CultureInfo.InvariantCulture);
        await Cli.SucceedAsync(Cli.ImageBuildAsync("build", "--spec", Spec, "--version", "1", "--out", Path.GetDirectoryName(Image)!,
            "--cache", Checkout.DebCache, "--source-date-epoch", epoch));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("build", "--spec", Spec, "--version", "1", "--pin-from", Manifest, "--out", Path.GetDirectoryName(PinnedManifest)!,
            "--cache", Checkout.DebCache, "--source-date-epoch", epoch));
    }

    public Task DisposeAsync()
    {
        temporary.Dispose();
        return Task.CompletedTask;
    }
}
