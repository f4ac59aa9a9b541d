namespace Appliance.Core.Repository;

/// <summary>
/// Makes repository signatures. The private key may be a file, a PKCS#11 token or a cloud KMS: only the public key
/// has to be known here, to name the signature file and to check each signature before it is published.
/// </summary>
public interface ISigner
{
    RepositoryKey PublicKey { get; }

    /// <summary>Signs <paramref name="content"/> with <see cref="SignatureScheme.Algorithm"/>; returns the DER signature.</summary>
    Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken);
}
