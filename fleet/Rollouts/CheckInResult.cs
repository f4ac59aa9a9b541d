using Appliance.Core.Fleet;

namespace Appliance.Fleet.Rollouts;

/// <param name="Recorded">The check-in changed something and was stored with its sequence; false: nothing was written.</param>
public sealed record CheckInResult(CheckInResponse Response, bool Recorded);
