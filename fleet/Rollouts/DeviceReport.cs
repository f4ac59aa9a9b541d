using System.Text.Json;

namespace Appliance.Fleet.Rollouts;

/// <summary>
/// The facts the rollout engine takes from a device's <c>upgradectl status --json</c> (docs/status-json.md).
/// </summary>
/// <param name="LastBootOutcome">The newest boot_history entry's outcome when it is about the booted version.</param>
public sealed record DeviceReport(int? BootedVersion, string? BootedMode, int? DefaultVersion, int? TrialFailed, string? LastBootOutcome)
{
    /// <summary>Reads the status document; null when it lacks the fields the engine needs (the request is malformed).</summary>
    public static DeviceReport? Parse(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("booted", out var booted) || booted.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)
            || !status.TryGetProperty("boot_state", out var bootState) || bootState.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        int? bootedVersion = null;
        string? mode = null;
        if (booted.ValueKind == JsonValueKind.Object)
        {
            if (!TryVersion(booted, "version", out bootedVersion) || bootedVersion is null
                || !booted.TryGetProperty("mode", out var modeElement) || modeElement.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            mode = modeElement.GetString();
        }
        if (!TryVersion(bootState, "default", out var defaultVersion) || !TryVersion(bootState, "trial_failed", out var trialFailed))
        {
            return null;
        }
        return new DeviceReport(bootedVersion, mode, defaultVersion, trialFailed, LastOutcome(status, bootedVersion));
    }

    /// <summary>
    /// The device runs <paramref name="version"/> as its confirmed default: its health check passed. The boot mode does
    /// not matter: the trial boot that the health check confirmed stays mode "trial" until the next reboot, which may
    /// be months away.
    /// </summary>
    public bool IsConfirmedOn(int version) =>
        BootedVersion == version && DefaultVersion == version && LastBootOutcome is not ("unhealthy" or "rejected");

    /// <summary>The trial of <paramref name="version"/> failed, or the device runs it and its health check says unhealthy.</summary>
    public bool HasFailedOn(int version) =>
        TrialFailed == version || (BootedVersion == version && LastBootOutcome is "unhealthy" or "rejected");

    private static bool TryVersion(JsonElement parent, string name, out int? version)
    {
        version = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            // Absent and null both mean unset: older agents may omit keys the GRUB environment does not have.
            return true;
        }
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value >= 0)
        {
            version = value;
            return true;
        }
        return false;
    }

    private static string? LastOutcome(JsonElement status, int? bootedVersion)
    {
        if (bootedVersion is null || !status.TryGetProperty("boot_history", out var history) || history.ValueKind != JsonValueKind.Array
            || history.GetArrayLength() == 0)
        {
            return null;
        }
        var last = history[history.GetArrayLength() - 1];
        return last.ValueKind == JsonValueKind.Object
            && last.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v) && v == bootedVersion
            && last.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String
                ? outcome.GetString()
                : null;
    }
}
