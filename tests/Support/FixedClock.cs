namespace Appliance.Tests.Support;

/// <summary>A clock that always says <paramref name="now"/>: metadata signed "in the past" to test expiry.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
