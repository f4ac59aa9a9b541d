using System.Diagnostics;
using Serilog;

namespace Appliance.Platform.Cli;

/// <summary>Progress as log lines: start, each quarter done, end with the time taken.</summary>
internal sealed class LogProgress : IStepProgress
{
    public async Task<T> RunAsync<T>(string step, Func<IProgress<double>, Task<T>> work)
    {
        Log.Information("{Step}...", step);
        var watch = Stopwatch.StartNew();
        var lastQuarter = 0;
        var progress = new Progress<double>(fraction =>
        {
            var quarter = (int)(fraction * 4);
            if (quarter > lastQuarter && quarter < 4)
            {
                lastQuarter = quarter;
                Log.Information("{Step}: {Percent}%", step, quarter * 25);
            }
        });
        var result = await work(progress);
        Log.Information("{Step}: done in {Seconds:F1} s", step, watch.Elapsed.TotalSeconds);
        return result;
    }
}
