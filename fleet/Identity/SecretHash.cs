using System.Security.Cryptography;
using System.Text;

namespace Appliance.Fleet.Identity;

/// <summary>Tokens are stored only as SHA-256, and made from 32 random bytes.</summary>
public static class SecretHash
{
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string NewSecret(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
