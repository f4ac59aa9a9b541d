using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Fleet.Rollouts;

/// <summary>Each device's fixed place in the check-in period, so a fleet does not poll at the same second.</summary>
public static class CheckInSchedule
{
    public static int OffsetSeconds(string deviceId, int intervalSeconds) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("offset:" + deviceId))) % (uint)Math.Max(1, intervalSeconds));

    public static int JitterSeconds(int intervalSeconds) => Math.Clamp(intervalSeconds / 10, 1, 30);
}
