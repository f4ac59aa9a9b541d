namespace Appliance.Fleet.Serving;

/// <param name="Concurrent">Check-ins running at once.</param>
/// <param name="Queued">Check-ins waiting for a place; more are answered 429 at once.</param>
/// <param name="QueueWait">The longest a check-in waits for a place before it is answered 429.</param>
public sealed record AdmissionSettings(int Concurrent, int Queued, TimeSpan QueueWait);
