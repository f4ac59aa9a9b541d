using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A test that runs real external tools but needs no root; skipped only where a tool is truly absent. One that hangs
/// fails by name after <see cref="TimeoutMinutes"/> (the test method must be async).
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public const int TimeoutMinutes = 10;

    public ToolFactAttribute(params string[] tools)
    {
        Skip = MissingTools(tools);
        Timeout = TimeoutMinutes * 60_000;
    }

    internal static string? MissingTools(IEnumerable<string> tools)
    {
        var missing = tools.Where(tool => ToolLocator.Find(tool) is null).ToList();
        return missing.Count == 0 ? null : $"needs {string.Join(", ", missing)} (scripts/setup installs it)";
    }
}
