using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A test that needs root (loop devices, mount, chroot) and the named tools. CI runs as root with every tool
/// installed by scripts/setup, so there it always runs; elsewhere it is skipped with the reason. One that hangs
/// fails by name after <see cref="TimeoutMinutes"/> (builds and VM boots; the test method must be async).
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public const int TimeoutMinutes = 25;

    public RootFactAttribute(params string[] tools)
    {
        Skip = SkipReason(tools);
        Timeout = TimeoutMinutes * 60_000;
    }

    internal static string? SkipReason(IEnumerable<string> tools) =>
        Environment.IsPrivilegedProcess ? ToolFactAttribute.MissingTools(tools) : "needs root for loop devices and mounts (CI runs as root)";
}
