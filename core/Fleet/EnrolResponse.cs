namespace Appliance.Core.Fleet;

/// <param name="DeviceId">Derived from the device's public key (see <see cref="DeviceIdentity"/>); enrolling the same key again returns the same id.</param>
/// <param name="CertificatePem">Client certificate issued by the fleet's own CA, subject CN = device id.</param>
/// <param name="CaCertificatePem">The fleet CA, so the device can pin it.</param>
public sealed record EnrolResponse(string DeviceId, string CertificatePem, string CaCertificatePem, int IntervalSeconds);
