using System.Text;
using Appliance.Core.Errors;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>What every caller relies on from the process runner: real processes, captured output, clear errors, cancellation.</summary>
[Collection(SerialCollection.Name)]
public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Standard_output_and_error_are_captured_separately_and_input_reaches_the_tool()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "cat; echo problem >&2; echo \"$LC_ALL\""], new ProcessOptions(StandardInput: "from stdin\n"));

        Assert.Equal((0, "from stdin\nC\n", "problem\n"), (result.ExitCode, result.StandardOutput, result.StandardError));
    }

    [Fact]
    public async Task A_failing_tool_gives_an_external_tool_error_with_the_tail_of_its_output_unless_its_exit_code_is_allowed()
    {
        var script = "for i in $(seq 1 20); do echo line $i; done; echo 'disk full' >&2; exit 3";

        var error = await Assert.ThrowsAsync<ExternalToolException>(() => ProcessRunner.RunAsync("sh", ["-c", script]));

        Assert.Equal((ExitCode.ExternalToolFailed, "sh", 3), (error.ExitCode, error.Tool, error.ToolExitCode));
        // The error stream comes last: a long standard output does not push the reason out of the message.
        Assert.StartsWith("sh failed with exit code 3: line 14 | ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("line 20 | disk full", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await ProcessRunner.RunAsync("sh", ["-c", script], new ProcessOptions(AllowedExitCodes: [3]))).ExitCode);
    }

    [Fact]
    public async Task A_missing_tool_names_itself()
    {
        var error = await Assert.ThrowsAsync<ApplianceException>(() => ProcessRunner.RunAsync("no-such-tool-here", []));

        Assert.Equal(ExitCode.NotFound, error.ExitCode);
        Assert.Contains("'no-such-tool-here' is not installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_can_add_and_remove_variables_and_the_working_directory_is_used()
    {
        using var directory = new TempDirectory();
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo \"$ADDED:${HOME-unset}:$(pwd)\""],
            new ProcessOptions(WorkingDirectory: directory.Path, Environment: new Dictionary<string, string?> { ["ADDED"] = "yes", ["HOME"] = null }));

        Assert.Equal($"yes:unset:{directory.Path}\n", result.StandardOutput);
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.File("child.pid");
        using var cancellation = new CancellationTokenSource();
        var running = ProcessRunner.RunAsync("sh", ["-c", $"sleep 300 & echo $! > {pidFile}; wait"], cancellationToken: cancellation.Token);
        while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile)).Length == 0)
        {
            await Task.Delay(20);
        }
        var child = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        for (var wait = 0; wait < 100 && Directory.Exists($"/proc/{child}"); wait++)
        {
            await Task.Delay(20);
        }
        Assert.False(Directory.Exists($"/proc/{child}"), $"the grandchild sleep ({child}) was killed with its parent");
    }

    [Fact]
    public async Task Bytes_go_through_unchanged_and_a_tool_that_stops_reading_early_is_judged_by_its_exit_code()
    {
        var input = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(input);

        Assert.Equal(input, await ProcessRunner.RunWithBytesAsync("cat", [], input));
        Assert.Equal(Encoding.ASCII.GetBytes("done\n"), await ProcessRunner.RunWithBytesAsync("sh", ["-c", "head -c 1 >/dev/null; echo done"], input));
        var error = await Assert.ThrowsAsync<ExternalToolException>(() => ProcessRunner.RunWithBytesAsync("sh", ["-c", "echo bad key >&2; exit 2"], input));
        Assert.Contains("bad key", error.Message, StringComparison.Ordinal);
    }
}
