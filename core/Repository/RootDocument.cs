namespace Appliance.Core.Repository;

/// <summary>
/// The trust anchor, <c>root/&lt;version&gt;.json</c>: which keys exist and which may sign what. Version 1 is baked
/// into the image; each later version must be signed by the root keys of the version before it and its own.
/// </summary>
public sealed record RootDocument(int Version, DateTimeOffset Expires, IReadOnlyList<RepositoryKey> Keys, RootRoles Roles)
{
    public RepositoryKey? FindKey(string id) => Keys.FirstOrDefault(key => key.Id == id);
}
