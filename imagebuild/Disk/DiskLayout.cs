using Appliance.Core.Layout;

namespace Appliance.ImageBuild.Disk;

/// <summary>GPT layout of a factory disk of a given size, on the fixed partition starts of <see cref="DiskGeometry"/>.</summary>
public sealed record DiskLayout(long SizeBytes)
{
    public long HostSectors => (SizeBytes / DiskGeometry.SectorSize) - DiskGeometry.HostStartSector - DiskGeometry.TailSectors;

    public long HostBytes => HostSectors * DiskGeometry.SectorSize;

    public string SfdiskScript =>
        "label: gpt\n" +
        $"start={DiskGeometry.EspStartSector}, size={DiskGeometry.EspSectors}, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI system\"\n" +
        $"start={DiskGeometry.HostStartSector}, size={HostSectors}, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"{DiskGeometry.HostLabel}\"\n";
}
