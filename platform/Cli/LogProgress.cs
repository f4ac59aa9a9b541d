using System.Diagnostics;
using Serilog;

namespace Appliance.Platform.Cli;

/// <summary>Progress as log lines: start, each quarter done (transfers with rate and time left), end with the time taken.</summary>
internal sealed class LogProgress : IStepProgress
{
    private const double MiB = 1024 * 1024;

    public Task<T> RunAsync<T>(string step, Func<IProgress<double>, Task<T>> work) =>
        Run(step, work, fraction => fraction, (fraction, _) => Log.Information("{Step}: {Percent}%", step, (int)(fraction * 4) * 25));

    public Task<T> RunTransferAsync<T>(string step, long totalBytes, long startBytes, Func<IProgress<long>, Task<T>> work)
    {
        if (startBytes > 0)
        {
            Log.Information("{Step}: resuming at {Start} of {Total} bytes", step, startBytes, totalBytes);
        }
        return Run(step, work, bytes => (double)bytes / Math.Max(1, totalBytes), (bytes, elapsed) =>
        {
            var rate = (bytes - startBytes) / Math.Max(elapsed.TotalSeconds, 0.001);
            Log.Information("{Step}: {Done:F1} of {Total:F1} MiB, {Rate:F1} MiB/s, about {Eta:F0} s left",
                step, bytes / MiB, totalBytes / MiB, rate / MiB, (totalBytes - bytes) / Math.Max(rate, 1));
        });
    }

    private static async Task<T> Run<T, TValue>(string step, Func<IProgress<TValue>, Task<T>> work, Func<TValue, double> fractionOf, Action<TValue, TimeSpan> report)
    {
        Log.Information("{Step}...", step);
        var watch = Stopwatch.StartNew();
        var lastQuarter = 0;
        var progress = new Progress<TValue>(value =>
        {
            var quarter = (int)(fractionOf(value) * 4);
            if (quarter > lastQuarter && quarter < 4)
            {
                lastQuarter = quarter;
                report(value, watch.Elapsed);
            }
        });
        var result = await work(progress);
        Log.Information("{Step}: done in {Seconds:F1} s", step, watch.Elapsed.TotalSeconds);
        return result;
    }
}
