namespace Appliance.Core.Errors;

/// <summary>
/// An expected failure with a message meant for the operator and the exit code it maps to.
/// Anything else that escapes a command is a bug and exits with <see cref="ExitCode.InternalError"/>.
/// </summary>
public class ApplianceException : Exception
{
    public ApplianceException(ExitCode exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public ExitCode ExitCode { get; }
}
