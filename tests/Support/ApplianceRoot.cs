using System.Globalization;
using System.Text.Json;
using Appliance.Core.Boot;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Host;

namespace Appliance.Tests.Support;

/// <summary>
/// A running appliance as upgradectl sees it through --root: the running image's files under Root (here a plain
/// directory, which is all upgradectl reads), the host partition at Root/host with images and a real grubenv, and
/// the kernel command line of the current boot. Every command runs the published upgradectl as a process.
/// </summary>
public sealed class ApplianceRoot
{
    private ApplianceRoot(TempDirectory directory)
    {
        Directory = directory;
    }

    public TempDirectory Directory { get; }

    public string Root => Directory.File("root");

    public string Host => Path.Combine(Root, "host");

    public string Images => Path.Combine(Host, "images");

    public string Downloads => Directory.File("downloads");

    public string GrubEnvironment => Path.Combine(Host, "boot/grub/grubenv");

    public string CommandLine => Directory.File("cmdline");

    public string OverlayOf(int version) => Layout.OverlayOf(version);

    /// <summary>Where upgradectl finds things under this root, so the tests look exactly where it writes.</summary>
    public HostLayout Layout => HostLayout.For(Root);

    /// <summary>An appliance running image 1 as its confirmed default, with some configuration of its own.</summary>
    public static async Task<ApplianceRoot> CreateAsync(TempDirectory directory)
    {
        var appliance = new ApplianceRoot(directory);
        System.IO.Directory.CreateDirectory(appliance.Downloads);
        System.IO.Directory.CreateDirectory(appliance.Images);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(appliance.GrubEnvironment)!);
        var first = await TestImage.CreateAsync(appliance.Downloads, 1);
        File.Copy(first.ImagePath, Path.Combine(appliance.Images, "1.img"));
        File.Copy(first.ManifestPath, Path.Combine(appliance.Images, "1.manifest.json"));
        await ProcessRunner.RunAsync("grub-editenv", [appliance.GrubEnvironment, "create"]);
        await ProcessRunner.RunAsync("grub-editenv", [appliance.GrubEnvironment, "set", $"{GrubEnvironmentKeys.Default}=1"]);
        await appliance.WriteConfigAsync("etc/hostname", "box-0042\n");
        await appliance.WriteConfigAsync("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        await appliance.WriteConfigAsync("etc/appliance/config/site.conf", "site=berlin\n");
        await appliance.BootAsync(1, BootMode.Default);
        // The boot menu the factory writes (imagebuild disk), so the next boot is GRUB's from the start.
        await appliance.SucceedAsync("grub-config", "--write");
        return appliance;
    }

    public string Downloaded => Path.Combine(Host, "var/lib/appliance/downloads");

    /// <summary>The factory's trust anchor on the host partition (what <c>imagebuild disk --trust-root</c> puts there).</summary>
    public void ProvisionTrustRoot(string repository)
    {
        var trust = Path.Combine(Host, "var/lib/appliance/trust");
        System.IO.Directory.CreateDirectory(trust);
        File.Copy(Path.Combine(repository, "root/1.json"), Path.Combine(trust, "root.json"), overwrite: true);
    }

    /// <summary>Puts another build of an installed version in place, e.g. the exact bytes a repository has a delta from.</summary>
    public void ReplaceImage(TestImage image)
    {
        var version = image.Version.ToString(CultureInfo.InvariantCulture);
        File.Copy(image.ImagePath, Path.Combine(Images, $"{version}.img"), overwrite: true);
        File.Copy(image.ManifestPath, Path.Combine(Images, $"{version}.manifest.json"), overwrite: true);
    }

    public Task WriteConfigAsync(string path, string contents)
    {
        var full = Path.Combine(Root, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return File.WriteAllTextAsync(full, contents);
    }

    /// <summary>What the next boot's kernel command line says, as GRUB would write it.</summary>
    public Task BootAsync(int version, BootMode mode) => File.WriteAllTextAsync(CommandLine,
        $"BOOT_IMAGE=(loop)/vmlinuz root=UUID=x rw appliance.image=/images/{version}.img appliance.version={version} appliance.boot={GrubConfigRenderer.Mode(mode)} console=ttyS0,115200 panic=10\n");

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunWithFaultAsync(null, arguments);

    /// <summary>Runs upgradectl with a fault point set: it kills itself (SIGKILL) when it gets there.</summary>
    public Task<ProcessResult> RunWithFaultAsync(string? faultPoint, params string[] arguments) =>
        Cli.UpgradectlAsync(faultPoint is null ? null : new Dictionary<string, string?> { ["UPGRADECTL_FAULT"] = faultPoint },
            [.. arguments, "--root", Root, "--cmdline", CommandLine]);

    /// <summary>
    /// Runs upgradectl with extra environment (e.g. short network deadlines); a run longer than <paramref name="limit"/> is
    /// killed and fails the test, so a hang shows as a failure, not as a stuck suite.
    /// </summary>
    public async Task<ProcessResult> RunWithinAsync(TimeSpan limit, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            return await ProcessRunner.RunAsync(Support.Checkout.Upgradectl, [.. arguments, "--root", Root, "--cmdline", CommandLine],
                new ProcessOptions(Environment: environment, AllowedExitCodes: Enumerable.Range(1, 255).ToList()), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"upgradectl {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds} s (killed)");
        }
    }

    public async Task<ProcessResult> SucceedAsync(params string[] arguments) => await Cli.SucceedAsync(RunAsync(arguments));

    public Task<BootState> BootStateAsync() => GrubEditenv.ReadBootStateAsync(GrubEnvironment);

    public async Task<JsonElement> StatusAsync()
    {
        var result = await SucceedAsync("status", "--json");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>The image the next boot starts: the host's grub.cfg run by GRUB (grub-emu) with a copy of its grubenv.</summary>
    public async Task<(int Version, BootMode Mode)> NextBootAsync()
    {
        var grubenv = File.Exists(GrubEnvironment) ? await File.ReadAllBytesAsync(GrubEnvironment) : null;
        using var grub = await GrubScriptRunner.CreateAsync(await File.ReadAllTextAsync(Layout.GrubConfig), grubenv, ImageInventory.Versions(Layout));
        var boot = await grub.BootAsync();
        return (boot.Version, boot.Mode);
    }
}
