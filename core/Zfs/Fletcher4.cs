using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Appliance.Core.Zfs;

/// <summary>
/// OpenZFS's fletcher-4 over little-endian 32-bit words (<c>fletcher_4_incremental_native</c> on x86): four 64-bit
/// running sums, carried through a whole send stream. Every length fed to it is a multiple of 4 (records are 312
/// bytes, payloads multiples of 8).
/// </summary>
public sealed class Fletcher4
{
    private ulong a;
    private ulong b;
    private ulong c;
    private ulong d;

    public ZfsChecksum Value => new(a, b, c, d);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0)
        {
            throw new ArgumentException("fletcher-4 sums whole 32-bit words.", nameof(bytes));
        }
        var (sa, sb, sc, sd) = (a, b, c, d);
        if (BitConverter.IsLittleEndian)
        {
            foreach (var word in MemoryMarshal.Cast<byte, uint>(bytes))
            {
                sa += word;
                sb += sa;
                sc += sb;
                sd += sc;
            }
        }
        else
        {
            for (var i = 0; i < bytes.Length; i += 4)
            {
                sa += BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]);
                sb += sa;
                sc += sb;
                sd += sc;
            }
        }
        (a, b, c, d) = (sa, sb, sc, sd);
    }
}
