using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Platform.Files;
using Appliance.Platform.Signing;
using Serilog;

namespace Appliance.Platform.Tls;

/// <summary>
/// A self-signed certificate for 127.0.0.1, ::1 and localhost (tests, labs): created once in a directory and reused
/// while it is valid for at least another day, so clients that pinned it keep working across restarts.
/// </summary>
public static class SelfSignedCertificate
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <param name="name">File name stem: <c>name.crt.pem</c> and <c>name.key.pem</c>.</param>
    public static CertificateFiles Ensure(string directory, string name)
    {
        var files = new CertificateFiles(Path.Combine(directory, name + ".crt.pem"), Path.Combine(directory, name + ".key.pem"));
        if (!IsUsable(files))
        {
            Create(directory, files);
        }
        using var certificate = X509Certificate2.CreateFromPemFile(files.CertificatePem, files.KeyPem);
        Log.Information("Self-signed certificate {Certificate} (SHA-256 fingerprint {Fingerprint}): clients trust or pin this file",
            files.CertificatePem, certificate.GetCertHashString(HashAlgorithmName.SHA256));
        return files;
    }

    private static bool IsUsable(CertificateFiles files)
    {
        if (!File.Exists(files.CertificatePem) || !File.Exists(files.KeyPem))
        {
            return false;
        }
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(files.CertificatePem, files.KeyPem);
            return certificate.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void Create(string directory, CertificateFiles files)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue("1.3.6.1.5.5.7.3.1", OidGroup.EnhancedKeyUsage)], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);
        AtomicFile.WriteAllBytes(files.KeyPem, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), SigningKeyFiles.PrivateKeyMode);
        AtomicFile.WriteAllText(files.CertificatePem, certificate.ExportCertificatePem() + "\n");
        Log.Information("Created a self-signed certificate for 127.0.0.1, ::1 and localhost in {Directory}", directory);
    }
}
