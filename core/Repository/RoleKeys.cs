namespace Appliance.Core.Repository;

/// <summary>The keys allowed to sign one kind of metadata and how many distinct valid signatures it needs.</summary>
public sealed record RoleKeys(IReadOnlyList<string> KeyIds, int Threshold);
