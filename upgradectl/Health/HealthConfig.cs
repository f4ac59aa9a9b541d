using System.Globalization;
using Appliance.Core.Manifests;

namespace Appliance.Upgradectl.Health;

/// <summary>/etc/appliance/health.conf in KEY=value form; every key is optional.</summary>
public sealed record HealthConfig(string Target, IReadOnlyList<string> RequiredUnits, TimeSpan CheckTimeout)
{
    public static HealthConfig Default { get; } = new("multi-user.target", ["systemd-journald.service"], TimeSpan.FromSeconds(60));

    public static HealthConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return Default;
        }
        var values = OsReleaseParser.Parse(File.ReadAllText(path));
        return new HealthConfig(
            values.GetValueOrDefault("TARGET", Default.Target),
            values.TryGetValue("REQUIRED_UNITS", out var units) ? units.Split(' ', StringSplitOptions.RemoveEmptyEntries) : Default.RequiredUnits,
            values.TryGetValue("CHECK_TIMEOUT_SECONDS", out var seconds) && int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? TimeSpan.FromSeconds(parsed)
                : Default.CheckTimeout);
    }
}
