using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Appliance.Platform.Cli;

/// <summary>Serilog to standard error, so standard output stays free for a command's own output (e.g. --json).</summary>
public static class Logging
{
    public static void Configure(LogFormat format, bool verbose)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information);
        Log.Logger = format == LogFormat.Json
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true), standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger()
            : configuration.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger();
        Progress = format == LogFormat.Text && TerminalProgress.IsAvailable ? new TerminalProgress() : new LogProgress();
    }

    /// <summary>How long steps report progress: bars on a terminal, plain log lines otherwise.</summary>
    public static IStepProgress Progress { get; private set; } = new LogProgress();
}
