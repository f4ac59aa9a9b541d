using System.Globalization;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// Broken images for the rollback scenarios: a copy of a good image under another version, changed with debugfs
/// (no mount needed) in one specific way, then made consistent again with e2fsck.
/// </summary>
public static class ImageVariants
{
    /// <summary>An image whose /initrd.img is garbage: the kernel cannot mount its root and panics.</summary>
    public static async Task<string> KernelPanicAsync(string goodImage, string directory, int version)
    {
        var garbage = Path.Combine(directory, "garbage-initrd");
        await File.WriteAllBytesAsync(garbage, Enumerable.Repeat((byte)0x5a, 64 * 1024).ToArray());
        return await VariantAsync(goodImage, directory, version, ["rm /initrd.img", $"write {garbage} /initrd.img"]);
    }

    /// <summary>An image without the /host mount point: the initramfs boot script cannot finish and reboots.</summary>
    public static Task<string> InitramfsFailureAsync(string goodImage, string directory, int version) =>
        VariantAsync(goodImage, directory, version, ["rmdir /host"]);

    /// <summary>
    /// An image whose init hangs for ever instead of starting systemd: nothing inside the image ever reboots it, only
    /// the hardware watchdog the initramfs started can. (/sbin is a link to usr/sbin.)
    /// </summary>
    public static async Task<string> HangingInitAsync(string goodImage, string directory, int version)
    {
        var init = Path.Combine(directory, "hanging-init");
        await File.WriteAllTextAsync(init, "#!/bin/sh\necho 'test-init: hanging instead of starting systemd' > /dev/console\nexec sleep 1000000\n");
        return await VariantAsync(goodImage, directory, version, ["rm /usr/sbin/init", $"write {init} /usr/sbin/init", "sif /usr/sbin/init mode 0100755"]);
    }

    /// <summary>
    /// An image whose boot never reaches multi-user.target: a service ordered before it never finishes, while systemd
    /// itself runs and pets the watchdog. Only the boot deadline (JobTimeoutSec) reboots it; the image's own
    /// 15-minute deadline is cut to <paramref name="deadline"/> by a drop-in that sorts after it.
    /// </summary>
    public static async Task<string> BootThatNeverFinishesAsync(string goodImage, string directory, int version, TimeSpan deadline)
    {
        var unit = Path.Combine(directory, "test-hang.service");
        await File.WriteAllTextAsync(unit, "[Unit]\nDescription=Test: a service that never finishes starting\nBefore=multi-user.target\n" +
            "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo test-hang: starting and never finishing > /dev/console; exec sleep infinity'\n" +
            "TimeoutStartSec=infinity\n");
        var dropIn = Path.Combine(directory, "zz-test-deadline.conf");
        await File.WriteAllTextAsync(dropIn, string.Create(CultureInfo.InvariantCulture, $"[Unit]\nJobTimeoutSec={(int)deadline.TotalSeconds}s\n"));
        const string units = "/etc/systemd/system";
        return await VariantAsync(goodImage, directory, version,
        [
            $"write {unit} {units}/test-hang.service",
            $"symlink {units}/multi-user.target.wants/test-hang.service {units}/test-hang.service",
            $"write {dropIn} {units}/multi-user.target.d/zz-test-deadline.conf",
        ]);
    }

    /// <summary>An image that boots fine but carries a health check that always fails.</summary>
    public static async Task<string> FailingHealthCheckAsync(string goodImage, string directory, int version)
    {
        var script = Path.Combine(directory, "50-always-fails");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'the appliance service did not start' >&2\nexit 1\n");
        const string target = "/etc/appliance/health.d/50-always-fails";
        return await VariantAsync(goodImage, directory, version, [$"write {script} {target}", $"sif {target} mode 0100755"]);
    }

    /// <summary>Writes <c>N.manifest.json</c> beside a variant (the good image's manifest with its version and checksum), so it can be published.</summary>
    public static async Task WriteManifestAsync(string variant, string goodManifest, int version)
    {
        var good = ManifestSerializer.Deserialize(await File.ReadAllBytesAsync(goodManifest), goodManifest);
        var manifest = good with { Version = version, Sha256 = await Sha256File.ComputeAsync(variant, CancellationToken.None), BaseVersion = good.Version };
        await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(variant)!, $"{version.ToString(CultureInfo.InvariantCulture)}.manifest.json"),
            ManifestSerializer.Serialize(manifest));
    }

    private static async Task<string> VariantAsync(string goodImage, string directory, int version, IReadOnlyList<string> commands)
    {
        var image = Path.Combine(directory, $"{version.ToString(CultureInfo.InvariantCulture)}.img");
        await ProcessRunner.RunAsync("cp", ["--sparse=always", goodImage, image]);
        var script = Path.Combine(directory, $"debugfs-{version.ToString(CultureInfo.InvariantCulture)}.cmd");
        await File.WriteAllLinesAsync(script, commands);
        // debugfs exits 0 even when a command fails; anything on stderr besides its version banner is an error.
        var edit = await ProcessRunner.RunAsync("debugfs", ["-w", "-f", script, image]);
        var errors = edit.StandardError.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("debugfs ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"debugfs could not make image {version}: {string.Join("; ", errors)}");
        // e2fsck -p exits 1 when it corrected something (free counts after debugfs), which is expected here.
        await ProcessRunner.RunAsync("e2fsck", ["-f", "-p", image], new ProcessOptions(AllowedExitCodes: [1]));
        return image;
    }
}
