using System.Buffers.Binary;
using System.Text;
using Appliance.Core.Errors;

namespace Appliance.Core.Zfs;

/// <summary>
/// The zvol's properties object (object 2) as one microzap block: a 64-byte header (block type ZBT_MICRO, salt,
/// normalization flags) and 64-byte entries (value, collision differentiator, name). A zvol keeps its size under
/// "size"; that entry is all we write and the one we read.
/// </summary>
public static class ZvolPropertiesBlock
{
    private const ulong MicroZapBlockType = (1UL << 63) + 3;
    private const int HeaderBytes = 64;
    private const int EntryBytes = 64;
    private const int NameOffset = 14;
    private const string SizeName = "size";

    /// <summary>The block with "size" = <paramref name="volumeSize"/>; the salt (any odd number) comes from the snapshot GUID.</summary>
    public static byte[] Encode(ulong volumeSize, ulong snapshotGuid)
    {
        var block = new byte[ZfsStreamFormat.PropertiesBlockSize];
        BinaryPrimitives.WriteUInt64LittleEndian(block, MicroZapBlockType);
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(8), snapshotGuid | 1);
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(HeaderBytes), volumeSize);
        Encoding.ASCII.GetBytes(SizeName).CopyTo(block, HeaderBytes + NameOffset);
        return block;
    }

    /// <summary>The "size" entry of a microzap block, or a refusal when the block is not a microzap or has none.</summary>
    public static ulong ReadSize(ReadOnlySpan<byte> block)
    {
        if (block.Length < HeaderBytes + EntryBytes || BinaryPrimitives.ReadUInt64LittleEndian(block) != MicroZapBlockType)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, "The ZFS stream's zvol properties object is not a microzap: its volume size cannot be read.");
        }
        for (var entry = HeaderBytes; entry + EntryBytes <= block.Length; entry += EntryBytes)
        {
            var name = block.Slice(entry + NameOffset, EntryBytes - NameOffset);
            var end = name.IndexOf((byte)0);
            if (end == SizeName.Length && name[..end].SequenceEqual(Encoding.ASCII.GetBytes(SizeName)))
            {
                return BinaryPrimitives.ReadUInt64LittleEndian(block[entry..]);
            }
        }
        throw new ApplianceException(ExitCode.VerificationFailed, "The ZFS stream's zvol properties hold no \"size\".");
    }
}
