namespace Appliance.Core.Fleet;

/// <summary>
/// Where an appliance keeps what makes it a fleet member, on the host partition so it survives image switches: the
/// agent configuration and enrolment token the factory (<c>imagebuild disk --fleet-url</c>) or an operator
/// (<c>upgradectl enrol</c>) put there, the device key and certificate, and the agent's own state.
/// </summary>
public static class FleetLocations
{
    /// <summary>Relative to the host partition.</summary>
    public const string DirectoryOnHost = "var/lib/appliance/fleet";

    /// <summary><see cref="AgentConfiguration"/>; its presence turns the agent on (appliance-agent.service checks it).</summary>
    public const string ConfigurationFileName = "agent.json";

    public const string EnrolTokenFileName = "enrol-token";

    /// <summary>The fleet CA (or the fleet's own certificate) the agent pins, when the configuration names none other.</summary>
    public const string FleetCaFileName = "fleet-ca.crt";

    /// <summary>The certificate the agent pins for the repository its stage actions name (<c>stage --ca-cert</c>).</summary>
    public const string RepositoryCaFileName = "repository-ca.crt";

    public const string DeviceKeyFileName = "device.key";

    public const string DeviceCertificateFileName = "device.crt";

    public const string AgentStateFileName = "agent-state.json";
}
