namespace Appliance.ImageBuild.Disk;

/// <summary>GPT layout of a factory disk: a small EFI system partition, the rest one ext4 host partition.</summary>
public sealed record DiskLayout(long SizeBytes)
{
    public const long SectorSize = 512;
    public const long EspStartSector = 2048;
    public const long EspSectors = 64L * 1024 * 1024 / SectorSize;
    public const long HostStartSector = EspStartSector + EspSectors;

    /// <summary>The backup GPT takes the last 33 sectors; stay 1 MiB clear of the end.</summary>
    public long HostSectors => (SizeBytes / SectorSize) - HostStartSector - 2048;

    public string SfdiskScript =>
        "label: gpt\n" +
        $"start={EspStartSector}, size={EspSectors}, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI system\"\n" +
        $"start={HostStartSector}, size={HostSectors}, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"appliance-host\"\n";
}
