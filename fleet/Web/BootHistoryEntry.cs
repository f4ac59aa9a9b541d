namespace Appliance.Fleet.Web;

/// <summary>One boot the device reported: when, which image, default or trial, and how it ended.</summary>
public sealed record BootHistoryEntry(string? Time, string? Version, string? Mode, string? Outcome, string? Detail);
