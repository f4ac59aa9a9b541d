namespace Appliance.Fleet.Api;

/// <param name="Rings">Cumulative percentages; null: 1,10,50,100.</param>
/// <param name="Policy">halt_only or pull_back; null: pull_back.</param>
public sealed record RolloutRequest(
    string Channel, int Version, string RepositoryUrl, string? Rings, string? Policy, int? AdvancePerMille, int? MinConfirmed, int? SilenceSeconds);
