namespace Appliance.Fleet.Rollouts;

/// <summary>
/// A ring is done when enough of it is confirmed healthy on the new image: at least <c>perMille</c>/1000 of its
/// confirmed-or-failed devices are confirmed, and at least <c>minConfirmed</c> devices (fewer only when the ring has
/// fewer members). A ring without members is done at once.
/// </summary>
public static class RingAdvancement
{
    public static bool IsDone(int members, int confirmed, int failed, int perMille, int minConfirmed)
    {
        if (members == 0)
        {
            return true;
        }
        var decided = confirmed + failed;
        return confirmed >= Math.Min(minConfirmed, members) && decided > 0 && (long)confirmed * 1000 >= (long)decided * perMille;
    }
}
