using System.Security.Cryptography;
using Appliance.Core.Repository;

namespace Appliance.Tests.Support;

/// <summary>A fresh P-256 key held in memory: a signer for tests that need no key file.</summary>
public sealed class InMemorySigner : ISigner, IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public InMemorySigner()
    {
        PublicKey = SignatureScheme.DescribeKey(key);
    }

    public RepositoryKey PublicKey { get; }

    public string Id => PublicKey.Id;

    public Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken) => Task.FromResult(Sign(content));

    public byte[] Sign(byte[] content) => key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public DetachedSignature SignatureOver(byte[] content) => new(Id, Sign(content));

    public void Dispose() => key.Dispose();
}
