namespace Appliance.Fleet.Storage;

/// <summary>The database stayed locked (or full) longer than the busy timeout; the request can be retried later and nothing was changed.</summary>
public sealed class FleetStoreBusyException(string message, Exception inner) : Exception(message, inner);
