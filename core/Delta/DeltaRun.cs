namespace Appliance.Core.Delta;

/// <summary>Consecutive target blocks made the same way; <paramref name="BaseBlock"/> is the first source block of a copy.</summary>
internal sealed record DeltaRun(DeltaRecordKind Kind, long BlockCount, long BaseBlock = 0);
