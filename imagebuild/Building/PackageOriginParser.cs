using Appliance.Core.Manifests;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Reads where each installed version came from out of <c>apt-cache policy</c>'s version tables: the suite of the
/// first archive that has the installed (***) version, <see cref="InstalledPackage.LocalOrigin"/> for the local repository.
/// </summary>
public static class PackageOriginParser
{
    private const string DpkgStatus = "/var/lib/dpkg/status";

    public static IReadOnlyDictionary<string, string> Parse(string policy, string localRepositoryUri)
    {
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        string? package = null;
        var inInstalledVersion = false;
        foreach (var line in policy.Split('\n'))
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            if (line.Length == 0)
            {
                continue;
            }
            if (indent == 0)
            {
                package = line.TrimEnd(':').Split(':')[0];
                inInstalledVersion = false;
            }
            else if (indent <= 5 && line.Trim() is var versionLine && !versionLine.StartsWith("Installed:", StringComparison.Ordinal)
                     && !versionLine.StartsWith("Candidate:", StringComparison.Ordinal) && !versionLine.StartsWith("Version table:", StringComparison.Ordinal))
            {
                inInstalledVersion = versionLine.StartsWith("***", StringComparison.Ordinal);
            }
            else if (indent > 5 && inInstalledVersion && package is not null && !origins.ContainsKey(package))
            {
                // "500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages" or "100 /var/lib/dpkg/status"
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 3 && words[1] != DpkgStatus)
                {
                    origins[package] = words[1] == localRepositoryUri ? InstalledPackage.LocalOrigin
                        : words[2].StartsWith('.') ? words[1]
                        : words[2].Split('/')[0];
                }
            }
        }
        return origins;
    }
}
