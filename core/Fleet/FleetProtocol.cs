namespace Appliance.Core.Fleet;

/// <summary>
/// The fixed facts of the check-in protocol between <c>upgradectl agent</c> and the fleet service
/// (docs/fleet-protocol.md). Both sides read them from here.
/// </summary>
public static class FleetProtocol
{
    /// <summary>Enrolment: no client certificate; proves possession of a factory enrolment token.</summary>
    public const string EnrolPath = "/v1/enrol";

    /// <summary>Check-in: the device's client certificate is its identity; the path names no device.</summary>
    public const string CheckInPath = "/v1/checkin";

    /// <summary>Operator API prefix; every request needs <c>Authorization: Bearer &lt;operator token&gt;</c>.</summary>
    public const string OperatorPrefix = "/v1/admin";

    /// <summary>A check-in body larger than this is refused with 413 before it is parsed.</summary>
    public const int MaxRequestBytes = 256 * 1024;

    public const int DefaultIntervalSeconds = 300;

    /// <summary>Action kinds the agent understands; anything else is reported back as refused.</summary>
    public const string StageAction = "stage";
    public const string ApplyAction = "apply";
    public const string RollbackAction = "rollback";

    /// <summary>Outcome results.</summary>
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Refused = "refused";
}
