using Appliance.Core.Errors;

namespace Appliance.Platform.Processes;

/// <summary>An external tool exited with a failure; the message carries the end of what it printed.</summary>
public sealed class ExternalToolException(string tool, int toolExitCode, string output)
    : ApplianceException(ExitCode.ExternalToolFailed, $"{tool} failed with exit code {toolExitCode}: {ToolOutput.Tail(output)}")
{
    public string Tool { get; } = tool;

    public int ToolExitCode { get; } = toolExitCode;

    public string Output { get; } = output;
}
