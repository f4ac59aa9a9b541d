using Appliance.Core.Fleet;
using Appliance.Fleet.Rollouts;

namespace Appliance.Tests.Unit.Fleet;

public sealed class WindowScheduleTests
{
    private static readonly MaintenanceWindow NightInBerlin = new("0 2 * * *", "Europe/Berlin", 120);

    [Fact]
    public void The_window_is_open_from_its_cron_time_in_its_zone_for_its_duration()
    {
        // 02:00 in Berlin in winter is 01:00 UTC.
        Assert.Null(WindowSchedule.OpenUntil(NightInBerlin, new DateTimeOffset(2026, 1, 15, 0, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 3, 0, 0, TimeSpan.Zero), WindowSchedule.OpenUntil(NightInBerlin, new DateTimeOffset(2026, 1, 15, 1, 0, 0, TimeSpan.Zero)));
        Assert.NotNull(WindowSchedule.OpenUntil(NightInBerlin, new DateTimeOffset(2026, 1, 15, 2, 59, 0, TimeSpan.Zero)));
        Assert.Null(WindowSchedule.OpenUntil(NightInBerlin, new DateTimeOffset(2026, 1, 15, 3, 0, 0, TimeSpan.Zero)));
        // Summer time: 02:00 in Berlin is 00:00 UTC.
        Assert.NotNull(WindowSchedule.OpenUntil(NightInBerlin, new DateTimeOffset(2026, 7, 15, 0, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void No_window_means_any_time_and_a_bad_window_is_explained()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(now, WindowSchedule.OpenUntil(null, now));
        Assert.NotNull(WindowSchedule.Validate(NightInBerlin with { Cron = "61 * * * *" }));
        Assert.NotNull(WindowSchedule.Validate(NightInBerlin with { TimeZone = "Mars/Olympus" }));
        Assert.NotNull(WindowSchedule.Validate(NightInBerlin with { DurationMinutes = 0 }));
        Assert.Null(WindowSchedule.Validate(NightInBerlin));
    }
}
