using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Agent;

/// <summary>
/// The device's identity: an ECDSA P-256 key made here that never leaves the host partition (0600), and the client
/// certificate the fleet CA issued for it. The key is made once and kept, so an enrolment that was cut off is retried
/// with the same key and gets the same device id.
/// </summary>
public sealed class DeviceCredentials(HostLayout layout)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string KeyFile => layout.FleetFile(FleetLocations.DeviceKeyFileName);

    private string CertificateFile => layout.FleetFile(FleetLocations.DeviceCertificateFileName);

    public bool IsEnrolled => File.Exists(CertificateFile) && File.Exists(KeyFile);

    /// <summary>The key, made now if there is none yet.</summary>
    public ECDsa LoadOrCreateKey()
    {
        var key = ECDsa.Create();
        if (File.Exists(KeyFile))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(KeyFile));
                return key;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                key.Dispose();
                throw new ApplianceException(ExitCode.InvalidInput, $"The device key {KeyFile} is not a PEM private key: {e.Message}", e);
            }
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(layout.Fleet);
        AtomicFile.WriteAllBytes(KeyFile, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()), Private);
        return key;
    }

    public static string DeviceIdOf(ECDsa key) => DeviceIdentity.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());

    public static string SigningRequestPem(ECDsa key)
    {
        var request = new CertificateRequest($"CN={DeviceIdOf(key)}", key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequestPem();
    }

    /// <summary>Keeps the certificate the fleet issued, after checking it is for this key and names this device.</summary>
    public void StoreCertificate(ECDsa key, EnrolResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        var expected = DeviceIdOf(key);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(response.CertificatePem);
        }
        catch (CryptographicException e)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, $"The fleet sent a certificate that is not PEM: {e.Message}", e);
        }
        using (certificate)
        {
            var issuedFor = certificate.PublicKey.ExportSubjectPublicKeyInfo();
            if (response.DeviceId != expected || !issuedFor.AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new ApplianceException(ExitCode.VerificationFailed,
                    $"The fleet's certificate is not for this device's key (device {expected}, answer names {response.DeviceId}).");
            }
        }
        AtomicFile.WriteAllBytes(CertificateFile, System.Text.Encoding.ASCII.GetBytes(response.CertificatePem), Private);
    }

    /// <summary>The client certificate with its private key, for mutual TLS.</summary>
    public X509Certificate2 LoadClientCertificate()
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        }
        catch (CryptographicException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"The device certificate {CertificateFile} or key {KeyFile} is not usable: {e.Message}", e);
        }
    }
}
