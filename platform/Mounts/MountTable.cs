using System.Text;

namespace Appliance.Platform.Mounts;

/// <summary>Reads /proc/self/mountinfo: which directories are mount points, and which devices back them.</summary>
public static class MountTable
{
    public sealed record Entry(string MountPoint, string Source);

    public static IReadOnlyList<Entry> Read()
    {
        var entries = new List<Entry>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options... - fstype source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }
            entries.Add(new Entry(Unescape(fields[4]), Unescape(fields[separator + 2])));
        }
        return entries;
    }

    /// <summary>Mount points at or below <paramref name="directory"/>, deepest first (the order to unmount them).</summary>
    public static IReadOnlyList<string> MountPointsUnder(string directory)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/');
        return Read()
            .Select(entry => entry.MountPoint)
            .Where(point => point == root || point.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(point => point.Length)
            .ToList();
    }

    /// <summary>The device mounted at <paramref name="mountPoint"/> (the topmost mount), or null when it is not a mount point.</summary>
    public static string? SourceOf(string mountPoint)
    {
        var path = Path.GetFullPath(mountPoint);
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        return Read().LastOrDefault(entry => entry.MountPoint == path)?.Source;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var result = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                result.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }
        return result.ToString();
    }
}
