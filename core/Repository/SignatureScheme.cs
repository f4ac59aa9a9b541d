using System.Formats.Asn1;
using System.Security.Cryptography;
using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// ECDSA P-256 over SHA-256, signatures DER-encoded: what <c>openssl dgst -sha256 -sign</c> writes and
/// <c>openssl dgst -sha256 -verify</c> checks, and what every HSM, PKCS#11 token and cloud KMS offers.
/// </summary>
public static class SignatureScheme
{
    public const string Algorithm = "ecdsa-p256-sha256";

    private const int RawSignatureLength = 64;

    public static RepositoryKey DescribeKey(ECDsa key)
    {
        RequireP256(key);
        var spki = key.ExportSubjectPublicKeyInfo();
        return new RepositoryKey(Convert.ToHexStringLower(SHA256.HashData(spki)), Algorithm, key.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    public static RepositoryKey DescribePublicKeyPem(string pem, string origin)
    {
        using var key = ImportPem(pem, origin);
        return DescribeKey(key);
    }

    public static ECDsa ImportPem(string pem, string origin)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            RequireP256(key);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ApplianceException(ExitCode.InvalidInput, $"{origin} is not an ECDSA P-256 key in PEM form: {e.Message}", e);
        }
    }

    public static bool Verify(RepositoryKey key, ReadOnlySpan<byte> content, ReadOnlySpan<byte> derSignature)
    {
        if (key.Algorithm != Algorithm)
        {
            return false;
        }
        using var ecdsa = ImportPem(key.PublicKeyPem, $"key {key.Id}");
        return ecdsa.VerifyData(content, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>
    /// PKCS#11 tokens return the raw r||s pair (64 bytes), openssl and most KMS return DER: the repository
    /// always stores DER, so that openssl can check it.
    /// </summary>
    public static byte[] ToDer(byte[] signature)
    {
        if (signature.Length != RawSignatureLength)
        {
            return signature;
        }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(TrimLeadingZeros(signature.AsSpan(0, RawSignatureLength / 2)));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(signature.AsSpan(RawSignatureLength / 2)));
        }
        return writer.Encode();
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return value[start..];
    }

    private static void RequireP256(ECDsa key)
    {
        if (key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new CryptographicException("the key is not on the P-256 curve");
        }
    }
}
