namespace Appliance.Core.Fleet;

/// <summary>The server's answer to a check-in.</summary>
/// <param name="IntervalSeconds">Period between check-ins.</param>
/// <param name="OffsetSeconds">This device's fixed place in the period (a function of its id), so a fleet does not poll at the same second.</param>
/// <param name="JitterSeconds">The agent adds a uniformly random 0..JitterSeconds to each wait.</param>
/// <param name="AcknowledgedOutcomes">Outcome ids the server stored; the agent stops resending them.</param>
/// <param name="Action">The one thing the device should do now, or null.</param>
public sealed record CheckInResponse(
    int IntervalSeconds, int OffsetSeconds, int JitterSeconds, IReadOnlyList<string> AcknowledgedOutcomes, DeviceAction? Action);
