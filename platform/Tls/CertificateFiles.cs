namespace Appliance.Platform.Tls;

/// <summary>A server certificate and its private key, both PEM files.</summary>
public sealed record CertificateFiles(string CertificatePem, string KeyPem);
