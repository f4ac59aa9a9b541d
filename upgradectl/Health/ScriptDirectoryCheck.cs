using Appliance.Platform.Processes;

namespace Appliance.Upgradectl.Health;

/// <summary>
/// Runs every executable in the health-check directory (sorted by name, like run-parts); each must exit 0 within the
/// timeout. The appliance's own software drops its checks there.
/// </summary>
public sealed class ScriptDirectoryCheck(string directory, TimeSpan timeout) : IHealthCheck
{
    public async Task<IReadOnlyList<HealthResult>> RunAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var results = new List<HealthResult>();
        var scripts = Directory.EnumerateFiles(directory)
            .Where(path => (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0)
            .Order(StringComparer.Ordinal);
        foreach (var script in scripts)
        {
            var name = Path.GetFileName(script);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                var result = await ProcessRunner.RunAsync(script, [], new ProcessOptions(AllowedExitCodes: Enumerable.Range(1, 255).ToList()), deadline.Token);
                var output = (result.StandardOutput + result.StandardError).Trim();
                results.Add(new HealthResult(name, result.ExitCode == 0, result.ExitCode == 0 ? output : $"exit code {result.ExitCode}: {output}"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                results.Add(new HealthResult(name, false, $"did not finish within {timeout.TotalSeconds:F0} s"));
            }
        }
        return results;
    }
}
