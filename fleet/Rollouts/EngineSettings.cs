namespace Appliance.Fleet.Rollouts;

/// <param name="IntervalSeconds">Check-in period handed to devices.</param>
public sealed record EngineSettings(int IntervalSeconds);
