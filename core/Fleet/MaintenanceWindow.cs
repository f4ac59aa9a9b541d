namespace Appliance.Core.Fleet;

/// <summary>When a device group may reboot: a window opens at every occurrence of <paramref name="Cron"/> in <paramref name="TimeZone"/> and lasts <paramref name="DurationMinutes"/>.</summary>
/// <param name="Cron">Five-field cron expression (Cronos).</param>
/// <param name="TimeZone">IANA time zone id, e.g. Europe/Berlin.</param>
public sealed record MaintenanceWindow(string Cron, string TimeZone, int DurationMinutes);
