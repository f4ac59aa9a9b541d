using System.Globalization;
using System.Security.Cryptography;
using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// Checks a downloaded object against the size and SHA-256 signed in the channel while the bytes arrive: a response
/// longer than the signed size is refused at the first byte too many (an endless response cannot fill the disk).
/// </summary>
public sealed class ObjectIntegrityCheck(ObjectReference expected, string description) : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Received { get; private set; }

    /// <summary>Checks an object held whole in memory (a manifest).</summary>
    public static void Verify(ObjectReference expected, string description, ReadOnlySpan<byte> content)
    {
        using var check = new ObjectIntegrityCheck(expected, description);
        check.Append(content);
        check.Complete();
    }

    /// <summary>Refuses a response whose declared length (Content-Length) does not fit the signed size before reading it.</summary>
    public void CheckDeclaredLength(long declaredLength)
    {
        if (Received + declaredLength > expected.Size)
        {
            throw TooLong(Received + declaredLength);
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Received + data.Length > expected.Size)
        {
            throw TooLong(Received + data.Length);
        }
        hash.AppendData(data);
        Received += data.Length;
    }

    /// <summary>Called at the end of the response: the object must be complete and hash to the signed value.</summary>
    public void Complete()
    {
        if (Received != expected.Size)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                string.Create(CultureInfo.InvariantCulture, $"{description} ended after {Received} of its {expected.Size} signed bytes."));
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != expected.Sha256)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{description} has sha256 {actual}, but the signed metadata says {expected.Sha256}: refused.");
        }
    }

    public void Dispose() => hash.Dispose();

    private ApplianceException TooLong(long length) =>
        new(ExitCode.VerificationFailed,
            string.Create(CultureInfo.InvariantCulture, $"{description} is at least {length} bytes, longer than its signed size {expected.Size}: refused."));
}
