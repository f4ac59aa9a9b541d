using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Core.Boot;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Host;

namespace Appliance.Tests.Support;

/// <summary>
/// Runs a real grub.cfg in GRUB itself, without a VM: <c>grub-emu</c> (GRUB's script engine, file systems and
/// environment-block code built for user space) boots a host partition that is a real ext4 file system, given to it as
/// disk hd0 by a device map, holding the grub.cfg, the grubenv and the images. The embedded config the appliance's EFI
/// GRUB starts with (<see cref="GrubConfigRenderer.RenderEmbedded"/>) finds that file system by UUID and
/// <c>configfile</c>s the grub.cfg; the menu's countdown then boots the default entry, or GRUB's own fallback entry when
/// it fails. grub-emu has no Linux loader, so the runner defines <c>linux</c> and <c>initrd</c> as GRUB functions: they
/// succeed only when the kernel and initrd are readable through the entry's loopback device (as the real loader would),
/// and <c>initrd</c> then records the kernel command line with <c>save_env</c> in a block of its own and halts GRUB.
/// What the boot chose and what save_env wrote to the grubenv are then read back with debugfs and grub-editenv.
/// Each image is a stand-in: a small ext2 file system with a kernel and initrd file, or zeros for an unreadable one.
/// </summary>
public sealed partial class GrubScriptRunner : IDisposable
{
    private const string ChosenFile = "/appliance-test/chosen";
    private const string ChosenKey = "appliance_test_chosen";

    /// <summary>Normal boots take about a second (the menu's countdown); a GRUB that booted nothing waits for a key forever.</summary>
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(20);

    // Our linux/initrd: what GRUB's loader would accept (the files readable through the entry's loopback device).
    private static readonly string LoaderFunctions =
        "function linux { if [ -f \"$1\" ]; then set appliance_test_linux=\"$*\"; else set appliance_test_linux=; return 1; fi; }\n"
        + "function initrd { if [ -n \"$appliance_test_linux\" -a -f \"$1\" ]; then "
        + $"set {ChosenKey}=\"$appliance_test_linux\"; save_env --file ($appliance_host){ChosenFile} {ChosenKey}; halt; fi; return 1; }}\n";

    private readonly TempDirectory directory = new();
    private readonly Guid hostUuid = Guid.NewGuid();

    private GrubScriptRunner()
    {
    }

    private string HostDisk => directory.File("host.ext4");

    /// <summary>A host partition with this grub.cfg and grubenv (null: none) and these images.</summary>
    /// <param name="unreadableImages">Images whose file exists but holds no file system GRUB can read.</param>
    public static async Task<GrubScriptRunner> CreateAsync(
        string grubConfig, byte[]? grubEnvironment, IEnumerable<int> images, IEnumerable<int>? unreadableImages = null)
    {
        var runner = new GrubScriptRunner();
        var tree = runner.directory.File("tree");
        Directory.CreateDirectory(Path.Combine(tree, "boot/grub"));
        Directory.CreateDirectory(Path.Combine(tree, "images"));
        Directory.CreateDirectory(Path.Combine(tree, "appliance-test"));
        await File.WriteAllTextAsync(Path.Combine(tree, "boot/grub/grub.cfg"), grubConfig);
        if (grubEnvironment is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(tree, "boot/grub/grubenv"), grubEnvironment);
        }
        await ProcessRunner.RunAsync("grub-editenv", [Path.Combine(tree, "appliance-test/chosen"), "create"]);
        var kernel = runner.directory.File("kernel");
        Directory.CreateDirectory(kernel);
        await File.WriteAllTextAsync(Path.Combine(kernel, "vmlinuz"), "stand-in kernel\n");
        await File.WriteAllTextAsync(Path.Combine(kernel, "initrd.img"), "stand-in initrd\n");
        var standIn = runner.directory.File("image.ext2");
        await ProcessRunner.RunAsync("mke2fs", ["-q", "-F", "-t", "ext2", "-d", kernel, standIn, "256K"]);
        foreach (var version in images)
        {
            File.Copy(standIn, ImagePath(tree, version));
        }
        foreach (var version in unreadableImages ?? [])
        {
            await File.WriteAllBytesAsync(ImagePath(tree, version), new byte[256 * 1024]);
        }
        // The host partition as imagebuild makes it (imagebuild/Disk/FactoryDiskBuilder.cs), small.
        await ProcessRunner.RunAsync("mke2fs",
            ["-q", "-F", "-t", "ext4", "-b", "4096", "-U", runner.hostUuid.ToString(), "-O", "^metadata_csum_seed,^orphan_file",
             "-d", tree, runner.HostDisk, "32M"]);
        var prefix = runner.directory.File("prefix");
        Directory.CreateDirectory(prefix);
        await File.WriteAllTextAsync(Path.Combine(prefix, "grub.cfg"), LoaderFunctions + GrubConfigRenderer.RenderEmbedded(runner.hostUuid));
        await File.WriteAllTextAsync(Path.Combine(prefix, "device.map"), $"(hd0) {runner.HostDisk}\n");
        return runner;
    }

    /// <summary>One boot: GRUB runs the grub.cfg against the grubenv as it is now, and may change it.</summary>
    public async Task<GrubScriptBoot> BootAsync()
    {
        await DebugfsAsync(write: true, $"rm {ChosenFile}", $"write {directory.File("tree")}{ChosenFile} {ChosenFile}");
        var prefix = directory.File("prefix");
        using var timeout = new CancellationTokenSource(BootTimeout);
        ProcessResult emulator;
        try
        {
            emulator = await ProcessRunner.RunAsync("grub-emu", ["-r", "host", "-d", prefix, "-m", Path.Combine(prefix, "device.map")],
                cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"GRUB booted no entry within {BootTimeout.TotalSeconds} s (it waits at its menu).");
        }
        var chosen = await ReadEnvironmentAsync(ChosenFile);
        var commandLine = chosen is not null && chosen.TryGetValue(ChosenKey, out var line) && line.Length > 0
            ? line
            : throw new InvalidOperationException($"GRUB halted without booting an entry: {Screen(emulator.StandardOutput)}");
        var booted = BootedImage.FromCommandLine(commandLine);
        var after = await ReadEnvironmentAsync("/boot/grub/grubenv");
        return new GrubScriptBoot(booted.Version, booted.Mode, commandLine, after is null ? null : BootState.FromEnvironment(after), Screen(emulator.StandardOutput));
    }

    /// <summary>The grubenv's bytes as they are now; null when there is none.</summary>
    public async Task<byte[]?> GrubEnvironmentAsync()
    {
        var copy = await DumpAsync("/boot/grub/grubenv");
        return copy is null ? null : await File.ReadAllBytesAsync(copy);
    }

    public void Dispose() => directory.Dispose();

    private static string ImagePath(string tree, int version) =>
        Path.Combine(tree, "images", $"{version.ToString(CultureInfo.InvariantCulture)}.img");

    /// <summary>The variables of an environment block on the host partition, read by grub-editenv; null when the file is missing or no valid block.</summary>
    private async Task<Dictionary<string, string>?> ReadEnvironmentAsync(string path)
    {
        var copy = await DumpAsync(path);
        if (copy is null)
        {
            return null;
        }
        var listing = await ProcessRunner.RunAsync("grub-editenv", [copy, "list"], new ProcessOptions(AllowedExitCodes: [1]));
        return listing.ExitCode != 0
            ? null
            : listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
    }

    private async Task<string?> DumpAsync(string path)
    {
        var copy = directory.File("dump-" + Path.GetRandomFileName());
        await DebugfsAsync(write: false, $"dump {path} {copy}");
        return File.Exists(copy) ? copy : null;
    }

    private Task<ProcessResult> DebugfsAsync(bool write, params string[] requests) =>
        ProcessRunner.RunAsync("debugfs", [.. write ? ["-w"] : Array.Empty<string>(), "-f", "-", HostDisk],
            new ProcessOptions(StandardInput: string.Join('\n', requests) + "\n"));

    /// <summary>What GRUB printed, without terminal control sequences.</summary>
    private static string Screen(string output) => ControlSequence().Replace(output, "").Replace("\r", "", StringComparison.Ordinal);

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex ControlSequence();
}
