namespace Appliance.Core.Repository;

/// <summary>Metadata bytes as fetched, with the signatures fetched beside them; <see cref="Path"/> names it in messages.</summary>
public sealed record SignedMetadata(string Path, byte[] Content, IReadOnlyList<DetachedSignature> Signatures);
