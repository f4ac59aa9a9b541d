namespace Appliance.Core.Repository;

/// <summary>A public key the root trusts; <see cref="Id"/> is the SHA-256 of its DER SubjectPublicKeyInfo.</summary>
public sealed record RepositoryKey(string Id, string Algorithm, string PublicKeyPem);
