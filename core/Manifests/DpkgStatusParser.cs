namespace Appliance.Core.Manifests;

/// <summary>Lists the installed packages from the text of /var/lib/dpkg/status, sorted by name.</summary>
public static class DpkgStatusParser
{
    public static IReadOnlyList<InstalledPackage> Parse(string status)
    {
        var packages = new List<InstalledPackage>();
        foreach (var stanza in status.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in stanza.Split('\n'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && !char.IsWhiteSpace(line[0]))
                {
                    fields[line[..colon]] = line[(colon + 1)..].Trim();
                }
            }
            if (fields.TryGetValue("Package", out var name)
                && fields.TryGetValue("Status", out var state) && state.EndsWith(" installed", StringComparison.Ordinal)
                && fields.TryGetValue("Version", out var version))
            {
                packages.Add(new InstalledPackage(name, version, fields.GetValueOrDefault("Architecture", "")));
            }
        }
        return packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal).ToList();
    }
}
