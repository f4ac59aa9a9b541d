namespace Appliance.Core.Errors;

/// <summary>
/// Every exit code any of the project's programs returns. This enum is the one place they
/// are defined; docs/exit-codes.md lists them for operators and fleet tooling.
/// </summary>
public enum ExitCode
{
    /// <summary>The command did what it was asked.</summary>
    Success = 0,

    /// <summary>A bug or an unforeseen condition; the log has the stack trace.</summary>
    InternalError = 1,

    /// <summary>The command line itself was wrong (unknown option, missing argument).</summary>
    Usage = 2,

    /// <summary>An input file or value is invalid: a spec, a version, an image that is not ext4.</summary>
    InvalidInput = 10,

    /// <summary>Something named on the command line or needed by it does not exist.</summary>
    NotFound = 11,

    /// <summary>A checksum, signature or filesystem check did not match.</summary>
    VerificationFailed = 12,

    /// <summary>Not enough free space to finish without endangering what exists.</summary>
    InsufficientSpace = 13,

    /// <summary>A resource is in use: a mounted image, a lock held by another process.</summary>
    Busy = 14,

    /// <summary>An external tool (debootstrap, mke2fs, grub-editenv...) failed.</summary>
    ExternalToolFailed = 15,

    /// <summary>The repository could not be reached or did not serve a file; a partial download is kept for the next try.</summary>
    DownloadFailed = 16,

    /// <summary>The operation was interrupted (SIGINT/SIGTERM); nothing finished was replaced.</summary>
    Interrupted = 130,
}
