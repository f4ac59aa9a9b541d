using Appliance.Core.Errors;
using Appliance.Core.Fleet;

namespace Appliance.Fleet.Rollouts;

/// <summary>The fleet's questions about a group's maintenance window, answered by the rule the agent also checks (<see cref="MaintenanceWindowSchedule"/>).</summary>
public static class WindowSchedule
{
    /// <summary>The end of the window open at <paramref name="now"/>, or null when it is closed. No window: always open, ending now.</summary>
    public static DateTimeOffset? OpenUntil(MaintenanceWindow? window, DateTimeOffset now) =>
        window is null ? now : MaintenanceWindowSchedule.OpenedAt(window, now) + TimeSpan.FromMinutes(window.DurationMinutes);

    /// <summary>A clear message when the window cannot be used, or null when it is valid.</summary>
    public static string? Validate(MaintenanceWindow window)
    {
        if (window.DurationMinutes > 24 * 60)
        {
            return "The window's duration must be 1 to 1440 minutes.";
        }
        try
        {
            MaintenanceWindowSchedule.NextOpening(window, DateTimeOffset.UnixEpoch);
            return null;
        }
        catch (ApplianceException e)
        {
            return e.Message;
        }
    }
}
