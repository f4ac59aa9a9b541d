using Appliance.Core.Layout;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Puts the project's own parts into the tree: the initramfs loop-root hook and boot script with the layout file
/// they source, upgradectl, the health-check and fleet agent units, the release file, and the spec's overlays.
/// </summary>
public static class ApplianceFilesInstaller
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly (string Resource, string PathInImage, UnixFileMode Mode)[] ProjectFiles =
    [
        ("initramfs/hooks/appliance-loop", "etc/initramfs-tools/hooks/appliance-loop", Executable),
        ("initramfs/scripts/local-bottom/appliance-loop", "etc/initramfs-tools/scripts/local-bottom/appliance-loop", Executable),
        ("initramfs/scripts/init-top/appliance-watchdog", "etc/initramfs-tools/scripts/init-top/appliance-watchdog", Executable),
        ("systemd/appliance-health.service", "etc/systemd/system/appliance-health.service", Readable),
        ("systemd/appliance-agent.service", "etc/systemd/system/appliance-agent.service", Readable),
        ("systemd/appliance-health-failed.service", "etc/systemd/system/appliance-health-failed.service", Readable),
        ("systemd/appliance-watchdog.conf", "etc/systemd/system.conf.d/appliance-watchdog.conf", Readable),
        ("systemd/appliance-boot-deadline.conf", "etc/systemd/system/multi-user.target.d/appliance-boot-deadline.conf", Readable),
        ("systemd/appliance-kexec-defaults", "etc/default/kexec.d/appliance", Readable),
        ("grub.d/15_appliance", "etc/grub.d/15_appliance", Executable),
    ];

    public static async Task InstallAsync(BuildRequest request, string root, CancellationToken cancellationToken)
    {
        foreach (var (resource, pathInImage, mode) in ProjectFiles)
        {
            WriteFile(root, pathInImage, EmbeddedFile.Read(resource), mode);
        }
        WriteText(root, ImagePaths.LayoutShellFile, LayoutShellFile.Render());
        EnableUnit(root, "appliance-health.service", "multi-user.target");
        // On in every image; it does nothing until the host partition has a fleet configuration (ConditionPathExists).
        EnableUnit(root, "appliance-agent.service", "multi-user.target");
        WriteFile(root, ImagePaths.Upgradectl, await File.ReadAllBytesAsync(request.UpgradectlBinary, cancellationToken), Executable);

        var spec = request.Spec;
        Directory.CreateDirectory(Path.Combine(root, ImagePaths.HostMountPoint));
        Directory.CreateDirectory(Path.Combine(root, ImagePaths.HealthChecks));
        WriteText(root, "etc/hostname", spec.Hostname + "\n");
        WriteText(root, "etc/hosts", $"127.0.0.1\tlocalhost\n127.0.1.1\t{spec.Hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        WriteText(root, "etc/fstab",
            "# / is this image file, loop-mounted read-only by the initramfs (appliance-loop); /etc /var /root /home /srv\n" +
            "# are overlays whose changes live on the host partition, which is at /host.\n" +
            "tmpfs\t/tmp\ttmpfs\tmode=1777,nosuid,nodev\t0\t0\n");
        WriteText(root, ImagePaths.CarryOverList, string.Concat(spec.CarryOver.Select(path => path + "\n")));
        WriteText(root, ApplianceRelease.PathInImage,
            new ApplianceRelease(request.Version.Number, spec.Name, request.SourceDateEpoch, request.GitTag).Render());

        if (request.TrustRoot is { } trustRoot)
        {
            WriteFile(root, TrustLocations.RootInImage, TrustRootFile.Read(trustRoot), Readable);
        }

        foreach (var overlay in spec.Overlays)
        {
            var source = Path.GetFullPath(overlay, request.SpecDirectory);
            await ProcessRunner.RunAsync("rsync", ["-aHAX", "--numeric-ids", source.TrimEnd('/') + "/", root.TrimEnd('/') + "/"], cancellationToken: cancellationToken);
        }
    }

    private static void EnableUnit(string root, string unit, string target)
    {
        var wants = Path.Combine(root, "etc/systemd/system", target + ".wants");
        Directory.CreateDirectory(wants);
        var link = Path.Combine(wants, unit);
        if (!Path.Exists(link))
        {
            File.CreateSymbolicLink(link, "/etc/systemd/system/" + unit);
        }
    }

    private static void WriteText(string root, string pathInImage, string text) =>
        WriteFile(root, pathInImage, System.Text.Encoding.UTF8.GetBytes(text), Readable);

    private static void WriteFile(string root, string pathInImage, byte[] contents, UnixFileMode mode)
    {
        var path = Path.Combine(root, pathInImage);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, contents);
        File.SetUnixFileMode(path, mode);
    }
}
