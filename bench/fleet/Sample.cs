namespace Appliance.Bench.Fleet;

/// <param name="CompletedAt">Seconds since the phase began.</param>
/// <param name="Status">The HTTP status; 0 when there was no answer (connection failed, timed out).</param>
public readonly record struct Sample(double CompletedAt, double LatencyMs, int Status);
