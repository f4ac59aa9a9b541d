namespace Appliance.Core.Delta;

/// <summary>How every block of the target is made, in target order, before anything is compressed or written.</summary>
internal sealed record DeltaPlan(DeltaHeader Header, IReadOnlyList<DeltaRun> Runs);
