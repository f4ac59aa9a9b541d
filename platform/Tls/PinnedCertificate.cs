using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Errors;

namespace Appliance.Platform.Tls;

/// <summary>
/// <c>--ca-cert</c>: the one certificate a client trusts for a server (repository, fleet), instead of the system's CAs. The
/// server's own certificate is accepted as it is (pinned: e.g. the distributor's self-signed one, also when the
/// appliance reaches it under another address, as a VM does through a forwarded port); any other must chain up to it
/// and name the host.
/// </summary>
public sealed class PinnedCertificate
{
    private readonly X509Certificate2 trusted;

    private PinnedCertificate(X509Certificate2 trusted) => this.trusted = trusted;

    public static PinnedCertificate Load(string pemFile)
    {
        if (!File.Exists(pemFile))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The certificate {pemFile} (--ca-cert) does not exist.");
        }
        try
        {
            return new PinnedCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(pemFile)));
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{pemFile} is not a PEM certificate: {e.Message}", e);
        }
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }
        using var presented = new X509Certificate2(certificate);
        if (presented.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span))
        {
            return true;
        }
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(presented);
    }
}
