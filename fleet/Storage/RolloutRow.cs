namespace Appliance.Fleet.Storage;

/// <summary>A release rolled out on a channel in rings, with its totals (kept up to date as reports arrive).</summary>
public sealed record RolloutRow
{
    public long Id { get; init; }
    public string Channel { get; init; } = "";
    public int Version { get; init; }
    public string RepositoryUrl { get; init; } = "";
    /// <summary>Cumulative ring percentages, comma-separated: <c>1,10,50,100</c>.</summary>
    public string Rings { get; init; } = "";
    public int CurrentRing { get; init; }
    public string State { get; init; } = "";
    public string Policy { get; init; } = "";
    /// <summary>A ring advances when this many per mille of its confirmed-or-failed devices are confirmed.</summary>
    public int AdvancePerMille { get; init; }
    public int MinConfirmed { get; init; }
    public int SilenceSeconds { get; init; }
    public int Given { get; init; }
    public int Confirmed { get; init; }
    public int Failed { get; init; }
    public string? StateReason { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}
