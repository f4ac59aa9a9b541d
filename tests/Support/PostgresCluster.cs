using System.Diagnostics;

namespace Appliance.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster from Debian's packages (scripts/setup installs them): initdb and pg_ctl in a
/// temporary directory, listening only on a Unix socket in that directory, run as the unprivileged <c>nobody</c> when
/// the tests run as root (PostgreSQL refuses root). Stopped and removed on dispose.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string Superuser = "fleet";
    private readonly TempDirectory temp = new();
    private int databases;

    private PostgresCluster()
    {
    }

    private string DataDirectory => temp.File("data");

    private string SocketDirectory => temp.Path;

    /// <summary>True when PostgreSQL's server binaries are installed (tests needing them are skipped otherwise).</summary>
    public static bool Installed => File.Exists(Path.Combine(Bin, "pg_ctl"));

    public static PostgresCluster Start()
    {
        var cluster = new PostgresCluster();
        try
        {
            if (Environment.UserName == "root")
            {
                Run("chown", "nobody", cluster.temp.Path);
            }
            cluster.RunAsOwner("initdb", "-D", cluster.DataDirectory, "-U", Superuser, "-A", "trust", "--no-sync", "-E", "UTF8");
            cluster.RunAsOwner("pg_ctl", "-D", cluster.DataDirectory, "-w", "-t", "60", "-l", cluster.temp.File("server.log"), "-o",
                $"-c listen_addresses='' -c unix_socket_directories='{cluster.SocketDirectory}' -c fsync=off -c max_connections=200", "start");
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>A new empty database in this cluster; its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"fleet_{Interlocked.Increment(ref databases)}";
        Run(Path.Combine(Bin, "psql"), "-h", SocketDirectory, "-U", Superuser, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", $"CREATE DATABASE {name}");
        return $"Host={SocketDirectory};Database={name};Username={Superuser}";
    }

    public void Dispose()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                RunAsOwner("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already gone; the directory is removed either way.
            }
        }
        temp.Dispose();
    }

    private void RunAsOwner(string tool, params string[] arguments)
    {
        var path = Path.Combine(Bin, tool);
        if (Environment.UserName == "root")
        {
            Run("runuser", ["-u", "nobody", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output.Result}\n{error}");
        }
    }
}
