namespace Appliance.Core.Repository;

/// <param name="Root">Keys that sign the next root version (key rotation).</param>
/// <param name="Channels">Keys that sign channel documents (releases).</param>
public sealed record RootRoles(RoleKeys Root, RoleKeys Channels);
