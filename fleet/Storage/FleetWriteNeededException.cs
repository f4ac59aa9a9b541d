namespace Appliance.Fleet.Storage;

/// <summary>A read-only pass met a write: the work must run again in a write transaction (<see cref="FleetStoreExtensions.ReadOrWriteAsync"/>).</summary>
public sealed class FleetWriteNeededException() : Exception("This work writes: it needs a write transaction.");
