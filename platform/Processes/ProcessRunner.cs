using System.Diagnostics;
using System.Text;
using Serilog;

namespace Appliance.Platform.Processes;

/// <summary>
/// Runs external tools with an argument list (never a shell string), captures their output and turns
/// a failure into an <see cref="ExternalToolException"/>. Cancellation kills the whole process tree.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string tool, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        using var process = Start(tool, arguments, options);
        var stdout = new StringBuilder();
        var stderr = CaptureStandardError(process);
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.BeginOutputReadLine();
        if (options.StandardInput is not null)
        {
            await process.StandardInput.WriteAsync(options.StandardInput.AsMemory(), cancellationToken);
        }
        process.StandardInput.Close();
        await WaitAsync(process, cancellationToken);
        // WaitForExitAsync returns once the streams are drained as well.
        var result = new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
        ThrowOnFailure(tool, options, result.ExitCode, result.StandardError + "\n" + result.StandardOutput);
        return result;
    }

    /// <summary>Feeds <paramref name="standardInput"/> to the tool and returns its standard output as bytes (signatures, not text).</summary>
    public static async Task<byte[]> RunWithBytesAsync(
        string tool, IEnumerable<string> arguments, byte[] standardInput, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        using var process = Start(tool, arguments, options);
        var stderr = CaptureStandardError(process);
        using var stdout = new MemoryStream();
        // Read while writing: a tool that answers before it read everything must not block on a full pipe.
        var reading = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput, cancellationToken);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading all of its input; its exit code and message say why.
        }
        await WaitAsync(process, cancellationToken);
        await reading;
        ThrowOnFailure(tool, options, process.ExitCode, stderr.ToString());
        return stdout.ToArray();
    }

    private static Process Start(string tool, IEnumerable<string> arguments, ProcessOptions options)
    {
        var startInfo = new ProcessStartInfo(ToolLocator.Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in options.Environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        Log.Debug("Running {Tool} {Arguments}", tool, startInfo.ArgumentList);
        var process = new Process { StartInfo = startInfo };
        process.Start();
        return process;
    }

    private static StringBuilder CaptureStandardError(Process process)
    {
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginErrorReadLine();
        return stderr;
    }

    private static async Task WaitAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
    }

    private static void ThrowOnFailure(string tool, ProcessOptions options, int exitCode, string output)
    {
        if (exitCode != 0 && !(options.AllowedExitCodes?.Contains(exitCode) ?? false))
        {
            throw new ExternalToolException(tool, exitCode, output);
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }
}
