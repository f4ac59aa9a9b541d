using Appliance.Platform.Tls;

namespace Appliance.Distributor;

/// <param name="Certificate">Null when every URL is plain http (behind a TLS-terminating proxy or CDN).</param>
/// <param name="MetadataMaxAge">How long caches may serve the signed metadata without asking again: how soon after a
/// publish every appliance behind a cache sees it.</param>
public sealed record DistributorSettings(string RepositoryDirectory, IReadOnlyList<string> Urls, CertificateFiles? Certificate, TimeSpan MetadataMaxAge);
