namespace Appliance.Core.Repository;

/// <summary>An immutable object in the repository, named by the SHA-256 (lowercase hex) of its bytes.</summary>
public sealed record ObjectReference(string Sha256, long Size);
