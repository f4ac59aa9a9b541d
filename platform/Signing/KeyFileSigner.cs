using System.Security.Cryptography;
using Appliance.Core.Repository;

namespace Appliance.Platform.Signing;

/// <summary>
/// Signs with a PEM private key file (development and tests). The key is read for each signature and not kept in
/// memory. Production keeps the key in a token or KMS and uses <see cref="CommandSigner"/>.
/// </summary>
public sealed class KeyFileSigner : ISigner
{
    private readonly string privateKeyFile;

    public KeyFileSigner(string privateKeyFile)
    {
        this.privateKeyFile = privateKeyFile;
        using var key = Load();
        PublicKey = SignatureScheme.DescribeKey(key);
    }

    public RepositoryKey PublicKey { get; }

    public Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var key = Load();
        return Task.FromResult(key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    private ECDsa Load() => SignatureScheme.ImportPem(SigningKeyFiles.ReadPem(privateKeyFile), privateKeyFile);
}
