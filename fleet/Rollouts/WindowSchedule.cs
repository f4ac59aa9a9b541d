using Appliance.Core.Fleet;
using Cronos;

namespace Appliance.Fleet.Rollouts;

/// <summary>Maintenance windows: open from each occurrence of the cron expression in its time zone, for its duration.</summary>
public static class WindowSchedule
{
    /// <summary>The end of the window open at <paramref name="now"/>, or null when it is closed. No window: always open, ending now.</summary>
    public static DateTimeOffset? OpenUntil(MaintenanceWindow? window, DateTimeOffset now)
    {
        if (window is null)
        {
            return now;
        }
        var duration = TimeSpan.FromMinutes(window.DurationMinutes);
        // Exclusive: a window that started exactly one duration ago has just closed.
        var start = CronExpression.Parse(window.Cron).GetNextOccurrence(now.UtcDateTime - duration, TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone), inclusive: false);
        return start is { } s && s <= now.UtcDateTime ? new DateTimeOffset(s + duration, TimeSpan.Zero) : null;
    }

    /// <summary>A clear message when the window cannot be used, or null when it is valid.</summary>
    public static string? Validate(MaintenanceWindow window)
    {
        if (window.DurationMinutes < 1 || window.DurationMinutes > 24 * 60)
        {
            return "The window's duration must be 1 to 1440 minutes.";
        }
        try
        {
            CronExpression.Parse(window.Cron);
        }
        catch (CronFormatException e)
        {
            return $"Invalid cron expression '{window.Cron}': {e.Message}";
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            return $"Unknown time zone '{window.TimeZone}' (use an IANA id such as Europe/Berlin).";
        }
        return null;
    }
}
