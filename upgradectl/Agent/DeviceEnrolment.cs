using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Upgradectl.Host;
using Serilog;

namespace Appliance.Upgradectl.Agent;

/// <summary>
/// First contact: the factory token and a signing request for the device key go to the fleet over server-authenticated
/// TLS; the certificate that comes back is checked against the key and kept. Safe to repeat after a cut: the key stays.
/// </summary>
public sealed class DeviceEnrolment(HostLayout layout, AgentSettings settings)
{
    public async Task<string> EnrolAsync(int? runningVersion, CancellationToken cancellationToken)
    {
        var tokenFile = layout.FleetFile(FleetLocations.EnrolTokenFileName);
        if (!File.Exists(tokenFile))
        {
            throw new ApplianceException(ExitCode.NotFound, $"{tokenFile} does not exist: this appliance has no enrolment token (imagebuild disk --enrol-token, or upgradectl enrol --token).");
        }
        var token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
        var credentials = new DeviceCredentials(layout);
        using var key = credentials.LoadOrCreateKey();
        using var client = FleetClient.Create(settings, clientCertificate: null);
        var response = await client.EnrolAsync(
            new EnrolRequest(token, DeviceCredentials.SigningRequestPem(key), Hostname(), runningVersion), cancellationToken);
        credentials.StoreCertificate(key, response);
        Log.Information("Enrolled in the fleet at {Fleet} as device {Device}", settings.FleetUrl, response.DeviceId);
        return response.DeviceId;
    }

    private string Hostname()
    {
        var file = Path.Combine(layout.Root, "etc/hostname");
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } name ? name : Environment.MachineName;
    }
}
