using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Errors;

namespace Appliance.Platform.Tls;

/// <summary>Where the TLS certificate comes from: given files, or a self-signed one made once and kept.</summary>
public static class ServerCertificate
{
    /// <param name="selfSignedName">File name stem of the self-signed certificate (<see cref="SelfSignedCertificate.Ensure"/>).</param>
    public static CertificateFiles? Choose(string? certificate, string? key, string? selfSignedDirectory, string selfSignedName) =>
        (certificate, key, selfSignedDirectory) switch
        {
            ({ } crt, { } pem, null) => new CertificateFiles(crt, pem),
            (null, null, { } directory) => SelfSignedCertificate.Ensure(directory, selfSignedName),
            (null, null, null) => null,
            _ => throw new ApplianceException(ExitCode.Usage, "Give either --certificate and --certificate-key, or --self-signed <dir>."),
        };

    public static X509Certificate2 Load(CertificateFiles files)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(files.CertificatePem, files.KeyPem);
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Cannot load the certificate {files.CertificatePem} with key {files.KeyPem}: {e.Message}", e);
        }
    }
}
