namespace Appliance.Upgradectl.Agent;

/// <summary>
/// When to check in next. After an answer: at the device's fixed offset within the fleet's interval plus up to the
/// jitter, so a fleet spreads over the interval instead of polling at the same second. After a failure: an
/// exponential backoff from <see cref="FirstRetry"/> up to one interval, plus jitter; a 429 waits what it asked.
/// </summary>
public static class CheckInTiming
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);

    public static TimeSpan UntilNextSlot(DateTimeOffset now, int intervalSeconds, int offsetSeconds, double jitterSeconds)
    {
        var interval = Math.Max(1, intervalSeconds);
        var offset = ((offsetSeconds % interval) + interval) % interval;
        var intoInterval = now.ToUnixTimeMilliseconds() / 1000.0 % interval;
        var wait = offset - intoInterval;
        if (wait <= 0)
        {
            wait += interval;
        }
        return TimeSpan.FromSeconds(wait + jitterSeconds);
    }

    /// <param name="failures">Failed attempts in a row, at least 1.</param>
    public static TimeSpan Backoff(int failures, int intervalSeconds, double jitterSeconds)
    {
        var exponential = FirstRetry.TotalSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(exponential, Math.Max(1, intervalSeconds)) + jitterSeconds);
    }
}
