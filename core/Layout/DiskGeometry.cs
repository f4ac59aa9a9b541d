namespace Appliance.Core.Layout;

/// <summary>Where the partitions of a factory disk start: a small EFI system partition, then the ext4 host partition.</summary>
public static class DiskGeometry
{
    public const long SectorSize = 512;

    public const long EspStartSector = 2048;

    public const long EspSizeBytes = 64L * 1024 * 1024;

    public const long EspSectors = EspSizeBytes / SectorSize;

    public const long HostStartSector = EspStartSector + EspSectors;

    public const long EspOffsetBytes = EspStartSector * SectorSize;

    /// <summary>Byte offset of the host partition in the disk file (<c>mount -o loop,offset=</c>).</summary>
    public const long HostOffsetBytes = HostStartSector * SectorSize;

    /// <summary>The backup GPT takes the last 33 sectors; the host partition stays this far clear of the end.</summary>
    public const long TailSectors = 2048;

    public const string HostLabel = "appliance-host";
}
