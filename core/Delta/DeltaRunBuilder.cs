namespace Appliance.Core.Delta;

/// <summary>Collects classified target blocks in order, merging neighbours made the same way into one run.</summary>
internal sealed class DeltaRunBuilder
{
    private readonly List<DeltaRun> runs = [];

    /// <summary>The base block that would extend the last copy run, if the last run is a copy.</summary>
    public long? NextCopySource => runs.Count > 0 && runs[^1] is { Kind: DeltaRecordKind.Copy } last ? last.BaseBlock + last.BlockCount : null;

    public IReadOnlyList<DeltaRun> Runs => runs;

    public void Add(DeltaRecordKind kind, long baseBlock = 0)
    {
        if (runs.Count > 0 && runs[^1] is var last && last.Kind == kind && (kind != DeltaRecordKind.Copy || NextCopySource == baseBlock))
        {
            runs[^1] = last with { BlockCount = last.BlockCount + 1 };
            return;
        }
        runs.Add(new DeltaRun(kind, 1, baseBlock));
    }
}
