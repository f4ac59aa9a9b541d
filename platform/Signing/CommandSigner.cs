using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Processes;

namespace Appliance.Platform.Signing;

/// <summary>
/// Signs by running a command that reads the bytes on standard input and writes the signature (DER, or raw r||s as
/// PKCS#11 tokens return it) on standard output: a token or KMS signs, the private key never is on the build machine.
/// Every signature is checked against <see cref="PublicKey"/> before it is used, so a wrong key or format fails here.
/// </summary>
public sealed class CommandSigner(IReadOnlyList<string> command, RepositoryKey publicKey) : ISigner
{
    public RepositoryKey PublicKey { get; } = publicKey;

    public async Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken)
    {
        var output = await ProcessRunner.RunWithBytesAsync(command[0], command.Skip(1), content, cancellationToken: cancellationToken);
        var signature = SignatureScheme.ToDer(output);
        return SignatureScheme.Verify(PublicKey, content, signature)
            ? signature
            : throw new ApplianceException(ExitCode.VerificationFailed,
                $"The signing command '{string.Join(' ', command)}' did not write a valid signature by key {PublicKey.Id} ({output.Length} bytes): check that it uses that key and writes a DER or raw ECDSA P-256 SHA-256 signature.");
    }
}
