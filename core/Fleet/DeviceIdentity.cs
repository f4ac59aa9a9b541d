using System.Security.Cryptography;

namespace Appliance.Core.Fleet;

/// <summary>
/// A device id is a function of its public key, so no device can claim another's id without that key, and an
/// agent killed during enrolment gets the same id when it enrols again.
/// </summary>
public static class DeviceIdentity
{
    /// <summary><c>d-</c> followed by the first 20 bytes of SHA-256 over the SubjectPublicKeyInfo, in lowercase hex.</summary>
    public static string FromSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        "d-" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo)[..20]);
}
