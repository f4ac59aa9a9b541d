using Appliance.Core.Errors;

namespace Appliance.Core.Zfs;

/// <summary>A ZFS stream refused: corrupt, truncated, for another base, or outside the subset we read.</summary>
public sealed class ZfsStreamException : ApplianceException
{
    public ZfsStreamException(string message)
        : base(ExitCode.VerificationFailed, message)
    {
    }

    public ZfsStreamException(string message, Exception inner)
        : base(ExitCode.VerificationFailed, message, inner)
    {
    }
}
