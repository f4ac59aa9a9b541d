using System.Buffers.Binary;
using System.Numerics;

namespace Appliance.Core.Ext4;

/// <summary>
/// Sets the time-dependent fields of an ext4 superblock to fixed values and recomputes its checksum.
/// e2fsprogs 1.47.0 (Debian 12) stamps the current time into the superblock whenever a tool writes the
/// filesystem; newer releases honour SOURCE_DATE_EPOCH instead. This does the same for reproducible images.
/// </summary>
public static class SuperblockStamp
{
    public const int Size = 1024;
    public const ushort Magic = 0xEF53;

    private const int MountTime = 0x2C;
    private const int WriteTime = 0x30;
    private const int MountCount = 0x34;
    private const int MagicOffset = 0x38;
    private const int LastCheckTime = 0x40;
    private const int LastMountedPath = 0x88;
    private const int LastMountedPathLength = 64;
    private const int FeatureReadOnlyCompatible = 0x64;
    private const int CreatedTime = 0x108;
    private const int KilobytesWritten = 0x178;
    private const int TimeHighBytes = 0x274; // wtime, mtime, mkfs_time, lastcheck high bytes
    private const int Checksum = 0x3FC;
    private const uint MetadataChecksumFeature = 0x400;

    public static bool HasMagic(ReadOnlySpan<byte> superblock) =>
        superblock.Length >= Size && BinaryPrimitives.ReadUInt16LittleEndian(superblock[MagicOffset..]) == Magic;

    public static void Apply(Span<byte> superblock, long epoch)
    {
        if (!HasMagic(superblock))
        {
            throw new ArgumentException("Not an ext4 superblock (bad magic).", nameof(superblock));
        }
        var low = (uint)epoch;
        var high = (byte)(epoch >> 32);
        BinaryPrimitives.WriteUInt32LittleEndian(superblock[WriteTime..], low);
        BinaryPrimitives.WriteUInt32LittleEndian(superblock[LastCheckTime..], low);
        BinaryPrimitives.WriteUInt32LittleEndian(superblock[CreatedTime..], low);
        BinaryPrimitives.WriteUInt32LittleEndian(superblock[MountTime..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(superblock[MountCount..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[KilobytesWritten..], 0);
        superblock.Slice(LastMountedPath, LastMountedPathLength).Clear();
        superblock[TimeHighBytes] = high;
        superblock[TimeHighBytes + 1] = 0;
        superblock[TimeHighBytes + 2] = high;
        superblock[TimeHighBytes + 3] = high;

        if ((BinaryPrimitives.ReadUInt32LittleEndian(superblock[FeatureReadOnlyCompatible..]) & MetadataChecksumFeature) != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(superblock[Checksum..], ComputeChecksum(superblock));
        }
    }

    /// <summary>ext4's superblock checksum: CRC32C seeded with ~0 over everything before the checksum field, not inverted.</summary>
    private static uint ComputeChecksum(ReadOnlySpan<byte> superblock)
    {
        var crc = uint.MaxValue;
        foreach (var value in superblock[..Checksum])
        {
            crc = BitOperations.Crc32C(crc, value);
        }
        return crc;
    }

    /// <summary>Byte offsets of the primary superblock and every backup that sparse_super places in the groups.</summary>
    public static IEnumerable<long> Locations(ReadOnlySpan<byte> primary)
    {
        var blocksCount = BinaryPrimitives.ReadUInt32LittleEndian(primary[0x04..]) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(primary[0x150..]) << 32);
        var firstDataBlock = BinaryPrimitives.ReadUInt32LittleEndian(primary[0x14..]);
        var blockSize = 1024L << (int)BinaryPrimitives.ReadUInt32LittleEndian(primary[0x18..]);
        var blocksPerGroup = BinaryPrimitives.ReadUInt32LittleEndian(primary[0x20..]);
        var groups = (long)((blocksCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup);
        return LocationsCore(groups, firstDataBlock, blockSize, blocksPerGroup);
    }

    private static IEnumerable<long> LocationsCore(long groups, uint firstDataBlock, long blockSize, uint blocksPerGroup)
    {
        yield return Size;
        for (long group = 1; group < groups; group++)
        {
            if (IsBackupGroup(group))
            {
                var block = firstDataBlock + (group * blocksPerGroup);
                // With 1 KiB blocks the superblock fills block 1 of the group; otherwise it starts the group's first block.
                yield return block * blockSize;
            }
        }
    }

    private static bool IsBackupGroup(long group) => group == 1 || IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);

    private static bool IsPowerOf(long value, long radix)
    {
        while (value > 1 && value % radix == 0)
        {
            value /= radix;
        }
        return value == 1;
    }
}
