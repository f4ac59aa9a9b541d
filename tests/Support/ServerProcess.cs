using System.Diagnostics;
using System.Text;

namespace Appliance.Tests.Support;

/// <summary>
/// A long-running server a test starts (the distributor, nginx): standard output left to the caller to read, standard
/// error collected for failure messages, and the whole process tree killed when disposed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private ServerProcess(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public StreamReader StandardOutput => process.StandardOutput;

    /// <summary>What the server wrote on standard error so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        return new ServerProcess(Process.Start(startInfo)!);
    }

    public Task WaitForExitAsync() => process.WaitForExitAsync();

    /// <summary>SIGKILL: the process gets no chance to shut down cleanly.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
