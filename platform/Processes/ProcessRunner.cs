using System.Text;
using CliWrap;
using Serilog;

namespace Appliance.Platform.Processes;

/// <summary>
/// Runs external tools with an argument list (never a shell string) through CliWrap, captures their output and turns
/// a failure into an <see cref="ExternalToolException"/>. Cancellation kills the whole process tree (CliWrap's
/// forceful cancellation) and then throws <see cref="OperationCanceledException"/>.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string tool, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Command(tool, arguments, options)
            .WithStandardInputPipe(options.StandardInput is null ? PipeSource.Null : PipeSource.FromString(options.StandardInput))
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));
        var exit = await command.ExecuteAsync(cancellationToken);
        var result = new ProcessResult(exit.ExitCode, stdout.ToString(), stderr.ToString());
        // The error stream last, so the message's tail is the tool's complaint rather than its chatter.
        ThrowOnFailure(tool, options, result.ExitCode, result.StandardOutput + "\n" + result.StandardError);
        return result;
    }

    /// <summary>Feeds <paramref name="standardInput"/> to the tool and returns its standard output as bytes (signatures, not text).</summary>
    /// <remarks>A tool that exits without reading all of its input is not an error by itself: its exit code says.</remarks>
    public static async Task<byte[]> RunWithBytesAsync(
        string tool, IEnumerable<string> arguments, byte[] standardInput, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        using var stdout = new MemoryStream();
        var stderr = new StringBuilder();
        var command = Command(tool, arguments, options)
            .WithStandardInputPipe(PipeSource.FromBytes(standardInput))
            .WithStandardOutputPipe(PipeTarget.ToStream(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));
        var exit = await command.ExecuteAsync(cancellationToken);
        ThrowOnFailure(tool, options, exit.ExitCode, stderr.ToString());
        return stdout.ToArray();
    }

    private static Command Command(string tool, IEnumerable<string> arguments, ProcessOptions options)
    {
        var argumentList = arguments.ToList();
        Log.Debug("Running {Tool} {Arguments}", tool, argumentList);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["LC_ALL"] = "C" };
        foreach (var (name, value) in options.Environment ?? new Dictionary<string, string?>())
        {
            // CliWrap removes a variable whose value is null from the inherited environment.
            environment[name] = value;
        }
        return CliWrap.Cli.Wrap(ToolLocator.Require(tool))
            .WithArguments(argumentList)
            .WithWorkingDirectory(options.WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(environment)
            // Exit codes are judged here, against the allowed ones, with the output in the message.
            .WithValidation(CommandResultValidation.None);
    }

    private static void ThrowOnFailure(string tool, ProcessOptions options, int exitCode, string output)
    {
        if (exitCode != 0 && !(options.AllowedExitCodes?.Contains(exitCode) ?? false))
        {
            throw new ExternalToolException(tool, exitCode, output);
        }
    }
}
