using System.Globalization;

namespace Appliance.Bench.Fleet;

/// <summary>CPU seconds and peak RSS of processes, read from /proc (a process tree for PostgreSQL's backends).</summary>
public static class ProcessMeter
{
    private static readonly double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds of <paramref name="pid"/> and, when asked, of its live children.</summary>
    public static double CpuSeconds(int pid, bool withChildren = false)
    {
        var total = OwnCpuSeconds(pid);
        if (withChildren)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child) && child != pid && ParentOf(child) == pid)
                {
                    total += OwnCpuSeconds(child);
                }
            }
        }
        return total;
    }

    public static double PeakRssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double OwnCpuSeconds(int pid)
    {
        var fields = Fields(pid);
        return fields is null ? 0 : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static int ParentOf(int pid) => Fields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : -1;

    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces): [0] is the state, [1] the parent, [11] utime, [12] stime.</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
