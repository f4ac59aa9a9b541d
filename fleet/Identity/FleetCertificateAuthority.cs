using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Fleet;
using Appliance.Fleet.Rollouts;
using Appliance.Platform.Files;
using Appliance.Platform.Signing;
using Serilog;

namespace Appliance.Fleet.Identity;

/// <summary>
/// The fleet's own CA (EC P-256, key mode 0600 in the data directory, made on first start): it issues each enrolled
/// device a client certificate for the key the device made, and it is the only issuer the TLS layer accepts.
/// </summary>
public sealed class FleetCertificateAuthority : IDisposable
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(20 * 365);
    private static readonly TimeSpan DeviceLifetime = TimeSpan.FromDays(10 * 365);
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 certificate;

    private FleetCertificateAuthority(X509Certificate2 certificate, string certificatePem)
    {
        this.certificate = certificate;
        CertificatePem = certificatePem;
    }

    public string CertificatePem { get; }

    public static FleetCertificateAuthority LoadOrCreate(string dataDirectory)
    {
        var certificateFile = Path.Combine(dataDirectory, "ca.crt.pem");
        var keyFile = Path.Combine(dataDirectory, "ca.key.pem");
        if (!File.Exists(certificateFile) || !File.Exists(keyFile))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Appliance fleet CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            var now = DateTimeOffset.UtcNow;
            using var created = request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
            // Key first: a certificate without its key would make the next start create a second CA.
            AtomicFile.WriteAllBytes(keyFile, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), SigningKeyFiles.PrivateKeyMode);
            AtomicFile.WriteAllText(certificateFile, created.ExportCertificatePem() + "\n");
            Log.Information("Created the fleet CA in {Directory}", dataDirectory);
        }
        var pem = File.ReadAllText(certificateFile);
        return new FleetCertificateAuthority(X509Certificate2.CreateFromPemFile(certificateFile, keyFile), pem);
    }

    /// <summary>Checks a PKCS#10 request (its signature proves the device holds the key) and issues the device certificate.</summary>
    public (string DeviceId, string CertificatePem) Issue(string certificateSigningRequestPem)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(certificateSigningRequestPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new FleetRequestException(400, $"Invalid certificate signing request: {e.Message}");
        }
        using var publicKey = request.PublicKey.GetECDsaPublicKey();
        if (publicKey is null || publicKey.KeySize != 256)
        {
            throw new FleetRequestException(400, "The certificate signing request must be for an ECDSA P-256 key.");
        }
        var deviceId = DeviceIdentity.FromSubjectPublicKeyInfo(request.PublicKey.ExportSubjectPublicKeyInfo());
        var issued = new CertificateRequest(new X500DistinguishedName("CN=" + deviceId), request.PublicKey, HashAlgorithmName.SHA256);
        issued.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        issued.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        issued.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], critical: false));
        issued.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        using var deviceCertificate = issued.Create(certificate, now.AddMinutes(-5), now + DeviceLifetime, serial);
        return (deviceId, deviceCertificate.ExportCertificatePem() + "\n");
    }

    /// <summary>True when <paramref name="presented"/> chains to this CA and nothing else.</summary>
    public bool Issued(X509Certificate2 presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        return chain.Build(presented);
    }

    /// <summary>The device a certificate names: the hash of its public key, never its subject.</summary>
    public static string DeviceIdOf(X509Certificate2 presented) =>
        DeviceIdentity.FromSubjectPublicKeyInfo(presented.PublicKey.ExportSubjectPublicKeyInfo());

    public void Dispose() => certificate.Dispose();
}
