using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Fleet.Rollouts;

/// <summary>
/// A device's ring is a function of its id alone (docs/fleet-protocol.md): bucket = first 4 bytes of SHA-256(id),
/// big-endian, mod 10,000; ring i holds the buckets below its cumulative percentage. The same devices therefore stay
/// in the same ring across halt, resume and later rollouts, and devices enrolled later join their ring.
/// </summary>
public static class RingAssignment
{
    public const int Buckets = 10_000;

    public static IReadOnlyList<int> DefaultRings { get; } = [1, 10, 50, 100];

    public static int Bucket(string deviceId) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(deviceId))) % Buckets);

    /// <param name="rings">Cumulative percentages, increasing, the last 100.</param>
    public static int Ring(int bucket, IReadOnlyList<int> rings)
    {
        for (var ring = 0; ring < rings.Count; ring++)
        {
            if (bucket < rings[ring] * (Buckets / 100))
            {
                return ring;
            }
        }
        return rings.Count - 1;
    }

    /// <summary>Buckets [From, To) of one ring.</summary>
    public static (int From, int To) BucketRange(int ring, IReadOnlyList<int> rings) =>
        (ring == 0 ? 0 : rings[ring - 1] * (Buckets / 100), rings[ring] * (Buckets / 100));

    /// <summary>Parses <c>1,10,50,100</c>; null when the list is not increasing percentages ending at 100.</summary>
    public static IReadOnlyList<int>? Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var rings = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) || percent < 1 || percent > 100
                || (rings.Count > 0 && percent <= rings[^1]))
            {
                return null;
            }
            rings.Add(percent);
        }
        return rings.Count > 0 && rings[^1] == 100 ? rings : null;
    }

    public static string Format(IReadOnlyList<int> rings) => string.Join(',', rings.Select(r => r.ToString(CultureInfo.InvariantCulture)));
}
