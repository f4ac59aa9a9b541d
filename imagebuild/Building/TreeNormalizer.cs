using System.Globalization;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Removes what makes two builds of the same inputs differ (measured: machine-id, logs, ld.so aux-cache)
/// and what an appliance must generate for itself (ssh host keys), then clamps every timestamp to
/// SOURCE_DATE_EPOCH.
/// </summary>
public static class TreeNormalizer
{
    private static readonly string[] RemovedFiles =
    [
        "var/cache/ldconfig/aux-cache",
        "var/log/bootstrap.log",
        "var/log/dpkg.log",
        "var/log/alternatives.log",
        "var/cache/debconf/config.dat-old",
        "var/cache/debconf/templates.dat-old",
        "var/lib/dpkg/status-old",
        "var/lib/dpkg/diversions-old",
        "var/lib/systemd/catalog/database",
        "etc/.pwd.lock",
        "root/.bash_history",
    ];

    private static readonly string[] EmptiedDirectories =
    [
        "var/log/apt",
        "var/lib/apt/lists",
        "var/cache/apt",
        "tmp",
        "var/tmp",
        "run",
    ];

    // Zero-length files that systemd and login tools expect to exist.
    private static readonly string[] TruncatedFiles = ["etc/machine-id", "var/log/btmp", "var/log/wtmp", "var/log/lastlog", "var/log/faillog"];

    public static async Task NormalizeAsync(string root, long sourceDateEpoch, CancellationToken cancellationToken)
    {
        foreach (var file in RemovedFiles.Select(f => Path.Combine(root, f)).Where(File.Exists))
        {
            File.Delete(file);
        }
        foreach (var directory in EmptiedDirectories.Select(d => Path.Combine(root, d)).Where(Directory.Exists))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
            {
                if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }
        foreach (var keyFile in Directory.EnumerateFiles(Path.Combine(root, "etc"), "ssh_host_*", SearchOption.AllDirectories))
        {
            File.Delete(keyFile);
        }
        foreach (var file in TruncatedFiles.Select(f => Path.Combine(root, f)).Where(File.Exists))
        {
            File.WriteAllBytes(file, []);
        }

        var epoch = "@" + sourceDateEpoch.ToString(CultureInfo.InvariantCulture);
        await ProcessRunner.RunAsync("find",
            [root, "-xdev", "-newermt", epoch, "-exec", "touch", "--no-dereference", "--date", epoch, "{}", "+"],
            cancellationToken: cancellationToken);
    }
}
