using System.CommandLine;
using Appliance.Core.Errors;
using Serilog;

namespace Appliance.Platform.Cli;

/// <summary>
/// The shared shape of every executable: global logging options, and the one place where exceptions
/// become exit codes (see <see cref="ExitCode"/>).
/// </summary>
public static class CliApplication
{
    private static readonly Option<LogFormat> LogFormatOption = new("--log-format")
    {
        Description = "text (default) or json: one JSON object per line on standard error",
        DefaultValueFactory = _ => LogFormat.Text,
        Recursive = true,
    };

    private static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Log debug details, including every external command run",
        Recursive = true,
    };

    public static RootCommand CreateRoot(string description)
    {
        var root = new RootCommand(description);
        root.Options.Add(LogFormatOption);
        root.Options.Add(VerboseOption);
        return root;
    }

    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, body, cancellationToken));

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }
            await Console.Error.WriteLineAsync($"Run '{root.Name} --help' for usage.");
            return (int)ExitCode.Usage;
        }
        // SIGINT/SIGTERM cancel the token; the grace period lets a build unmount and remove its work files.
        return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Func<ParseResult, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        Logging.Configure(parseResult.GetValue(LogFormatOption), parseResult.GetValue(VerboseOption));
        try
        {
            await body(parseResult, cancellationToken);
            return (int)ExitCode.Success;
        }
        catch (ApplianceException e)
        {
            Log.Error("{Message}", e.Message);
            return (int)e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Error("Interrupted; nothing finished was replaced");
            return (int)ExitCode.Interrupted;
        }
#pragma warning disable CA1031 // The top of the program: any other exception is a bug and must still map to an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Fatal(e, "Unexpected error");
            return (int)ExitCode.InternalError;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
