using Appliance.Core.Errors;

namespace Appliance.Platform.Processes;

/// <summary>An external tool exited with a failure; the message carries the end of what it printed.</summary>
public sealed class ExternalToolException(string tool, int toolExitCode, string output)
    : ApplianceException(ExitCode.ExternalToolFailed, $"{tool} failed with exit code {toolExitCode}: {Tail(output)}")
{
    public string Tool { get; } = tool;

    public int ToolExitCode { get; } = toolExitCode;

    public string Output { get; } = output;

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(8));
    }
}
