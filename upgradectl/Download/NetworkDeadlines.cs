using System.Globalization;
using Appliance.Core.Errors;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// How long upgradectl waits on a repository (docs/repository.md, "Deadlines"). Every response must start within
/// <see cref="Headers"/>; every body must keep up a minimum rate, <see cref="RateWindowBytes"/> more bytes within each
/// <see cref="RateWindow"/>; a metadata file (root, channel, signature, manifest) must also arrive whole within
/// <see cref="Metadata"/>. A download that breaks a deadline is retried, resuming, after <see cref="RetryDelay"/> times
/// the attempt number. Tests shorten them with <c>UPGRADECTL_NETWORK_DEADLINES</c>.
/// </summary>
public sealed record NetworkDeadlines(TimeSpan Headers, TimeSpan Metadata, TimeSpan RateWindow, long RateWindowBytes, TimeSpan RetryDelay)
{
    public const string Variable = "UPGRADECTL_NETWORK_DEADLINES";

    public static NetworkDeadlines Default { get; } = new(
        Headers: TimeSpan.FromSeconds(60), Metadata: TimeSpan.FromSeconds(120), RateWindow: TimeSpan.FromSeconds(30), RateWindowBytes: 32 * 1024,
        RetryDelay: TimeSpan.FromSeconds(1));

    /// <summary>The defaults, with any of <c>headers=S,metadata=S,window=S,window-bytes=N,retry-delay=S</c> from the environment.</summary>
    public static NetworkDeadlines FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? Parse(text) : Default;

    public static NetworkDeadlines Parse(string text)
    {
        var deadlines = Default;
        foreach (var setting in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = setting.Split('=', 2) is [var n, var v] ? (n, v) : (setting, "");
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"{Variable}: '{setting}' is not name=positive number.");
            }
            var seconds = TimeSpan.FromSeconds(number);
            deadlines = name switch
            {
                "headers" => deadlines with { Headers = seconds },
                "metadata" => deadlines with { Metadata = seconds },
                "window" => deadlines with { RateWindow = seconds },
                "window-bytes" => deadlines with { RateWindowBytes = (long)number },
                "retry-delay" => deadlines with { RetryDelay = seconds },
                _ => throw new ApplianceException(ExitCode.InvalidInput,
                    $"{Variable}: unknown setting '{name}' (headers, metadata, window, window-bytes, retry-delay)."),
            };
        }
        return deadlines;
    }

    public string TooSlow => string.Create(CultureInfo.InvariantCulture,
        $"the server sent fewer than {RateWindowBytes} bytes in {RateWindow.TotalSeconds:0.###} s (stalled or too slow)");
}
