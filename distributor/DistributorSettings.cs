namespace Appliance.Distributor;

/// <param name="Certificate">Null when every URL is plain http (behind a TLS-terminating proxy or CDN).</param>
public sealed record DistributorSettings(string RepositoryDirectory, IReadOnlyList<string> Urls, CertificateFiles? Certificate);
