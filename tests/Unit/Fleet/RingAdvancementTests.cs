using Appliance.Fleet.Rollouts;

namespace Appliance.Tests.Unit.Fleet;

public sealed class RingAdvancementTests
{
    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(10, 0, 0, false)]
    [InlineData(10, 1, 0, false)]
    [InlineData(10, 2, 0, true)]
    [InlineData(1, 1, 0, true)]
    [InlineData(2000, 999, 1, true)]
    [InlineData(2000, 998, 2, false)]
    public void A_ring_is_done_with_enough_confirmed_and_999_per_mille_of_its_decided_devices_confirmed(int members, int confirmed, int failed, bool done) =>
        Assert.Equal(done, RingAdvancement.IsDone(members, confirmed, failed, perMille: 999, minConfirmed: 2));
}
