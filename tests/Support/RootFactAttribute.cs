using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A test that needs root (loop devices, mount, chroot) and the named tools. CI runs as root with every tool
/// installed by scripts/setup, so there it always runs; elsewhere it is skipped with the reason.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(params string[] tools)
    {
        Skip = SkipReason(tools);
    }

    internal static string? SkipReason(IEnumerable<string> tools)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root for loop devices and mounts (CI runs as root)";
        }
        var missing = tools.Where(tool => ToolLocator.Find(tool) is null).ToList();
        return missing.Count == 0 ? null : $"needs {string.Join(", ", missing)} (scripts/setup installs it)";
    }
}
