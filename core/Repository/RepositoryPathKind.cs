namespace Appliance.Core.Repository;

public enum RepositoryPathKind
{
    /// <summary>Content-addressed and immutable: cacheable for ever.</summary>
    Object,

    /// <summary>Signed metadata or one of its detached signatures: replaced by every signing.</summary>
    Metadata,
}
