namespace Appliance.Core.Delta;

/// <summary>
/// Content-defined anchors: the positions where a rolling hash of the preceding 64 bytes has its low
/// <see cref="MaskBits"/> bits zero (one every 512 bytes on average), each with that hash. Equal content gives equal
/// anchors wherever it lies, at any byte offset: a file rewritten with a few bytes inserted, or moved to other blocks,
/// or renamed (a kernel's modules under a new version's directory), still shares most anchors with its old version.
/// The hash is a gear hash: shifting by one bit per byte drops a byte's contribution after 64 bytes, so the value
/// depends on those 64 bytes only, never on where the scan started.
/// </summary>
internal static class ContentAnchors
{
    public const int WindowBytes = 64;

    private const int MaskBits = 9;
    private const ulong Mask = (1UL << MaskBits) - 1;

    private static readonly ulong[] Gear = MakeGear();

    /// <summary>Appends the anchors of <paramref name="data"/> (positions just past their 64-byte window) to <paramref name="anchors"/>.</summary>
    public static void Find(ReadOnlySpan<byte> data, List<(int Position, ulong Hash)> anchors)
    {
        ulong hash = 0;
        var gear = Gear;
        for (var i = 0; i < data.Length; i++)
        {
            hash = (hash << 1) + gear[data[i]];
            if ((hash & Mask) == 0 && i >= WindowBytes - 1)
            {
                anchors.Add((i + 1, hash));
            }
        }
    }

    /// <summary>Fixed pseudo-random values (SplitMix64 from a constant seed): writer and tests must agree across runs.</summary>
    private static ulong[] MakeGear()
    {
        var gear = new ulong[256];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < gear.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            gear[i] = z ^ (z >> 31);
        }
        return gear;
    }
}
