namespace Appliance.Core.Repository;

public enum RepositoryPathKind
{
    /// <summary>Content-addressed and immutable: cacheable for ever.</summary>
    Object,

    /// <summary>A detached signature, named by the hash of what it signs and never rewritten: cacheable for ever.</summary>
    Signature,

    /// <summary>Signed metadata: replaced by every signing.</summary>
    Metadata,
}
