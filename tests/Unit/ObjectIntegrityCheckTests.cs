using System.Security.Cryptography;
using Appliance.Core.Errors;
using Appliance.Core.Repository;

namespace Appliance.Tests.Unit;

public sealed class ObjectIntegrityCheckTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
    private static readonly ObjectReference Signed = new(Convert.ToHexStringLower(SHA256.HashData(Content)), Content.Length);

    [Fact]
    public void An_object_of_the_signed_size_and_hash_is_accepted_in_pieces()
    {
        using var check = new ObjectIntegrityCheck(Signed, "object");
        check.Append(Content.AsSpan(0, 400));
        check.Append(Content.AsSpan(400));

        check.Complete();
        Assert.Equal(Content.Length, check.Received);
    }

    [Fact]
    public void A_response_longer_than_the_signed_size_is_refused_at_the_first_byte_too_many()
    {
        using var check = new ObjectIntegrityCheck(Signed, "object");
        check.Append(Content);

        var error = Assert.Throws<ApplianceException>(() => check.Append(new byte[1]));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Contains("longer than its signed size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_length_above_the_signed_size_is_refused_before_anything_is_read()
    {
        using var check = new ObjectIntegrityCheck(Signed, "object");

        Assert.Equal(ExitCode.VerificationFailed, Assert.Throws<ApplianceException>(() => check.CheckDeclaredLength(Content.Length + 1)).ExitCode);
        check.CheckDeclaredLength(Content.Length);
    }

    [Fact]
    public void An_object_whose_sha256_differs_from_the_signed_one_is_refused()
    {
        using var check = new ObjectIntegrityCheck(Signed, "object");
        var altered = Content.ToArray();
        altered[500] ^= 1;
        check.Append(altered);

        var error = Assert.Throws<ApplianceException>(check.Complete);

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_object_is_refused()
    {
        using var check = new ObjectIntegrityCheck(Signed, "object");
        check.Append(Content.AsSpan(0, 999));

        Assert.Contains("ended after 999 of its 1000", Assert.Throws<ApplianceException>(check.Complete).Message, StringComparison.Ordinal);
    }
}
