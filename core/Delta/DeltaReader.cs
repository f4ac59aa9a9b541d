using System.Buffers.Binary;
using Appliance.Core.Errors;

namespace Appliance.Core.Delta;

/// <summary>Reads the delta's little-endian fields; a delta that ends early is malformed, not an I/O failure.</summary>
internal sealed class DeltaReader(Stream delta)
{
    private readonly byte[] scratch = new byte[sizeof(long)];

    public byte[] ReadBytes(int count)
    {
        var bytes = new byte[count];
        ReadExactly(bytes);
        return bytes;
    }

    public void ReadExactly(Span<byte> buffer)
    {
        try
        {
            delta.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, "The delta is truncated.", e);
        }
    }

    public DeltaRecordKind ReadKind()
    {
        ReadExactly(scratch.AsSpan(0, 1));
        return (DeltaRecordKind)scratch[0];
    }

    public int ReadInt32()
    {
        ReadExactly(scratch.AsSpan(0, sizeof(int)));
        return BinaryPrimitives.ReadInt32LittleEndian(scratch);
    }

    /// <summary>A size, offset or count: stored as a signed 64-bit integer that must not be negative.</summary>
    public long ReadLength()
    {
        ReadExactly(scratch);
        var value = BinaryPrimitives.ReadInt64LittleEndian(scratch);
        return value >= 0 ? value : throw new ApplianceException(ExitCode.InvalidInput, $"The delta holds a negative length ({value}).");
    }

    public string ReadSha256() => Convert.ToHexStringLower(ReadBytes(32));
}
