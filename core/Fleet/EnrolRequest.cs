namespace Appliance.Core.Fleet;

/// <summary>The first request of a device: the factory token and the public half of a key made on the device.</summary>
/// <param name="Token">Enrolment token from the factory disk (<c>imagebuild disk --enrol-token</c>).</param>
/// <param name="CertificateSigningRequestPem">PKCS#10 request (PEM) for a P-256 key generated on the device; the key never leaves it.</param>
/// <param name="Hostname">For operators only; never used to identify the device.</param>
/// <param name="Version">The image the device runs at enrolment, if any.</param>
public sealed record EnrolRequest(string Token, string CertificateSigningRequestPem, string Hostname, int? Version);
