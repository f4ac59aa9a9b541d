using Appliance.Core.Errors;

namespace Appliance.Upgradectl.Agent;

/// <summary>The fleet could not be reached, failed (5xx) or asked to be left alone (429): try again later, keep everything.</summary>
public sealed class FleetUnavailableException(string message, TimeSpan? retryAfter = null, Exception? innerException = null)
    : ApplianceException(ExitCode.DownloadFailed, message, innerException)
{
    /// <summary>The wait the fleet asked for (429 Retry-After), if it did.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
