using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Core.Layout;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Staging;
using Serilog;

namespace Appliance.Upgradectl.Migration;

/// <summary>
/// Versioned migration hooks shipped in the NEW image under /usr/lib/appliance/migrate.d: executables run in name order
/// after the configuration was carried, to transform it for the new release. They see the carried layers at
/// <c>$APPLIANCE_STATE/&lt;layer&gt;/upper</c> (e.g. the new /etc at $APPLIANCE_STATE/etc/upper) and the two versions.
/// They are read out of the image with debugfs, which needs no mount.
/// </summary>
public static class MigrationHooks
{
    public const string DirectoryInImage = "/" + ImagePaths.MigrationHooks;

    /// <summary>Seconds a hook may run (default 120); tests shorten it.</summary>
    public const string TimeoutVariable = "UPGRADECTL_MIGRATION_HOOK_TIMEOUT";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(string image, string workDirectory, string stateDirectory, int fromVersion, int toVersion, CancellationToken cancellationToken)
    {
        if (!await ImageContents.ExistsAsync(image, DirectoryInImage, cancellationToken))
        {
            return;
        }
        await ProcessRunner.RunAsync("debugfs", ["-R", $"rdump {DirectoryInImage} {workDirectory}", image], cancellationToken: cancellationToken);
        var hooks = Path.Combine(workDirectory, Path.GetFileName(DirectoryInImage));
        var environment = new Dictionary<string, string?>
        {
            ["APPLIANCE_STATE"] = stateDirectory,
            ["APPLIANCE_FROM_VERSION"] = fromVersion.ToString(CultureInfo.InvariantCulture),
            ["APPLIANCE_TO_VERSION"] = toVersion.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var hook in Directory.EnumerateFiles(hooks).Order(StringComparer.Ordinal))
        {
            if ((File.GetUnixFileMode(hook) & UnixFileMode.UserExecute) == 0)
            {
                continue;
            }
            Log.Information("Running migration hook {Hook} of image {Version}", Path.GetFileName(hook), toVersion);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var limit = Timeout();
            timeout.CancelAfter(limit);
            try
            {
                await ProcessRunner.RunAsync(hook, [], new ProcessOptions(WorkingDirectory: stateDirectory, Environment: environment), timeout.Token);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ApplianceException(ExitCode.ExternalToolFailed,
                    $"Migration hook {Path.GetFileName(hook)} of image {toVersion} did not finish within {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was stopped; nothing about the next boot changed.", e);
            }
            catch (ExternalToolException e)
            {
                throw new ApplianceException(ExitCode.ExternalToolFailed, $"Migration hook {Path.GetFileName(hook)} of image {toVersion} failed: {e.Message}", e);
            }
        }
    }

    private static TimeSpan Timeout() =>
        double.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultTimeout;
}
