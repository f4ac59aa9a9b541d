using System.Security.Cryptography;
using System.Text;

namespace Appliance.Core.Specs;

/// <summary>A name-based UUID (RFC 9562 version 8 layout over SHA-256) that never changes for one name.</summary>
public static class DeterministicGuid
{
    public static Guid FromName(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
