namespace Appliance.Core.Repository;

/// <summary>
/// Where an appliance finds the root it trusts before it ever talked to a repository: baked into the image by
/// <c>imagebuild build --trust-root</c>, or provisioned on the host partition by <c>imagebuild disk --trust-root</c>
/// (where upgradectl also keeps the newest root it has verified since). The higher version wins.
/// </summary>
public static class TrustLocations
{
    /// <summary>Relative to the image's root.</summary>
    public const string RootInImage = "etc/appliance/trust/root.json";

    /// <summary>Relative to the host partition.</summary>
    public const string TrustDirectoryOnHost = "var/lib/appliance/trust";

    public const string RootFileName = "root.json";
}
