using Appliance.Core.Fleet;

namespace Appliance.Fleet.Storage;

/// <summary>A device group: the channel its devices follow, its maintenance window (none: any time) and how many of its devices may switch at once.</summary>
public sealed record GroupRow
{
    public string Name { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? WindowCron { get; init; }
    public string? WindowTimeZone { get; init; }
    public int? WindowMinutes { get; init; }
    public int MaxSwitching { get; init; }

    public MaintenanceWindow? Window =>
        WindowCron is { } cron && WindowTimeZone is { } zone && WindowMinutes is { } minutes ? new MaintenanceWindow(cron, zone, minutes) : null;
}
