namespace Appliance.Platform.Processes;

/// <summary>What an error message quotes of a tool's output: its last lines, where tools say what went wrong.</summary>
public static class ToolOutput
{
    public static string Tail(string output, int lines = 8)
    {
        var nonEmpty = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return nonEmpty.Length == 0 ? "(no output)" : string.Join(" | ", nonEmpty.TakeLast(lines));
    }
}
