using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Core.Zfs;

/// <summary>
/// The snapshot GUID a stream gives the zvol snapshot holding an image: derived from the image's SHA-256, so the
/// same release always yields the same stream bytes, and a receiver can tell from a GUID which image it holds.
/// </summary>
public static class ZfsSnapshotGuid
{
    private const string Domain = "appliance-zfs-snapshot:";

    public static ulong ForImage(string imageSha256)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(Domain + imageSha256.ToLowerInvariant()));
        var guid = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        // ZFS treats GUID 0 as "none" (a full stream's fromguid): never hand it out.
        return guid == 0 ? 1 : guid;
    }
}
