namespace Appliance.Core.Repository;

/// <summary>
/// What an appliance trusts before a check: the newest root it verified (at first the one baked into its image),
/// the highest version it accepted of each channel and of the timestamp. Kept on the host partition between checks.
/// </summary>
public sealed record SeenMetadata(RootDocument Root, IReadOnlyDictionary<string, int> ChannelVersions, int? TimestampVersion = null);
