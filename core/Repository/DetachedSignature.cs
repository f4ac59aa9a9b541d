namespace Appliance.Core.Repository;

/// <summary>The DER signature one key made over a metadata file's bytes (<see cref="RepositoryLayout.SignaturePath"/>).</summary>
public sealed record DetachedSignature(string KeyId, byte[] Der);
