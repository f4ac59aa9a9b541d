using System.Globalization;
using Appliance.Core.Boot;
using Appliance.Core.Images;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Status;

/// <summary>Gathers the status from the host partition: grubenv, the images present, the updater state and history.</summary>
public static class StatusCollector
{
    public static StatusReport Collect(HostLayout layout, BootedImage? booted, bool operationRunning)
    {
        var state = new BootStateStore(layout).Load();
        var updater = new UpdaterStateStore(layout).Load();
        var images = ImageInventory.Versions(layout).Select(version => Describe(layout, version, state, updater, booted)).ToList();
        images.AddRange(PartialImages(layout));
        var drive = Directory.Exists(layout.Host) ? new DriveInfo(layout.Host) : null;
        return new StatusReport(
            StatusReport.CurrentSchemaVersion,
            booted is null ? null : new BootedStatus(booted.Version, GrubConfigRenderer.Mode(booted.Mode), Uptime()),
            state,
            images.OrderByDescending(image => image.Version).ToList(),
            updater.LastOperation,
            operationRunning,
            new HostSpace(layout.Host, drive?.AvailableFreeSpace ?? 0, drive?.TotalSize ?? 0),
            new BootHistory(layout).Read());
    }

    private static ImageStatus Describe(HostLayout layout, int version, BootState state, UpdaterState updater, BootedImage? booted)
    {
        var failed = updater.Failed.Contains(version) || state.TrialFailed == version;
        var status = version == state.Trial ? ImageStatus.Trial
            : failed ? ImageStatus.Failed
            : version == state.Default || version == state.Previous || updater.Confirmed.Contains(version) ? ImageStatus.Good
            : ImageStatus.Staged;
        return new ImageStatus(version, status, booted?.Version == version, version == state.Default, version == state.Previous,
            new FileInfo(layout.ImagePath(version)).Length, ImageInventory.Manifest(layout, version)?.Sha256);
    }

    private static IEnumerable<ImageStatus> PartialImages(HostLayout layout) =>
        !Directory.Exists(layout.Images)
            ? []
            : Directory.EnumerateFiles(layout.Images, "*" + ImageVersion.ImageExtension + ".partial")
                .Select(path => (Path: path, Name: Path.GetFileName(path)[..^".partial".Length]))
                .Where(file => ImageVersion.TryParseImageFileName(file.Name, out _))
                .Select(file => new ImageStatus(ImageVersion.Parse(file.Name[..^ImageVersion.ImageExtension.Length]).Number,
                    ImageStatus.Partial, false, false, false, new FileInfo(file.Path).Length, null));

    private static double Uptime() =>
        File.Exists("/proc/uptime")
            ? double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;
}
