using Appliance.Core.Errors;
using Cronos;

namespace Appliance.Core.Fleet;

/// <summary>Whether a <see cref="MaintenanceWindow"/> is open at an instant: a window opened by the cron less than its duration ago (open from its start, closed at its end).</summary>
public static class MaintenanceWindowSchedule
{
    public static bool IsOpen(MaintenanceWindow window, DateTimeOffset now) => OpenedAt(window, now) is not null;

    /// <summary>When the window that is open at <paramref name="now"/> opened, or null when none is.</summary>
    public static DateTimeOffset? OpenedAt(MaintenanceWindow window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window);
        var (cron, zone) = Parse(window);
        var opened = cron.GetNextOccurrence(now - TimeSpan.FromMinutes(window.DurationMinutes), zone, inclusive: false);
        return opened is { } at && at <= now ? at : null;
    }

    /// <summary>The next time the window opens after <paramref name="now"/>, for messages.</summary>
    public static DateTimeOffset? NextOpening(MaintenanceWindow window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window);
        var (cron, zone) = Parse(window);
        return cron.GetNextOccurrence(now, zone);
    }

    private static (CronExpression Cron, TimeZoneInfo Zone) Parse(MaintenanceWindow window)
    {
        if (window.DurationMinutes <= 0)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"A maintenance window must last at least a minute (got {window.DurationMinutes}).");
        }
        try
        {
            return (CronExpression.Parse(window.Cron), TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone));
        }
        catch (CronFormatException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"'{window.Cron}' is not a five-field cron expression: {e.Message}", e);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"'{window.TimeZone}' is not a known time zone: {e.Message}", e);
        }
        catch (InvalidTimeZoneException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"'{window.TimeZone}' is not a valid time zone: {e.Message}", e);
        }
    }
}
