namespace Appliance.Core.Repository;

/// <param name="Root">Offline keys that sign the next root version (key rotation, renewal); never online keys.</param>
/// <param name="Channels">The online release key(s): channel documents and bundles.</param>
/// <param name="Timestamp">The online key(s) that re-sign <c>timestamp.json</c> every few hours.</param>
public sealed record RootRoles(RoleKeys Root, RoleKeys Channels, RoleKeys Timestamp);
