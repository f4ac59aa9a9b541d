using Appliance.Fleet.Rollouts;

namespace Appliance.Tests.Unit.Fleet;

public sealed class HaltRuleTests
{
    [Theory]
    [InlineData(1000, 1, 0, false)]
    [InlineData(1000, 2, 0, true)]
    [InlineData(1200, 1, 0, false)]
    [InlineData(1200, 2, 0, true)]
    [InlineData(80_000, 80, 0, false)]
    [InlineData(80_000, 81, 0, true)]
    [InlineData(10, 0, 0, false)]
    [InlineData(10, 1, 0, true)]
    public void Failures_above_one_per_thousand_given_halt(int given, int failed, int canaryFailed, bool halts) =>
        Assert.Equal(halts, HaltRule.ShouldHalt(given, failed, canaryFailed));

    [Fact]
    public void Any_canary_failure_halts_even_among_many_given() =>
        Assert.True(HaltRule.ShouldHalt(1_000_000, 1, 1));
}
