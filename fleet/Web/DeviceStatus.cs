using System.Text.Json;

namespace Appliance.Fleet.Web;

/// <summary>
/// The parts of a device's last <c>upgradectl status --json</c> (docs/status-json.md) the device page shows, read
/// leniently: the document is the device's, and a field it lacks is shown as missing, never as an error.
/// </summary>
public sealed record DeviceStatus(
    string? Booted, string? Mode, string? Default, string? Previous, string? Trial, string? TrialFailed, string? HostFree,
    IReadOnlyList<BootHistoryEntry> BootHistory)
{
    public static DeviceStatus? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new DeviceStatus(
                Field(root, "booted", "version"), Field(root, "booted", "mode"), Field(root, "boot_state", "default"), Field(root, "boot_state", "previous"),
                Field(root, "boot_state", "trial"), Field(root, "boot_state", "trial_failed"), FreeSpace(root),
                root.TryGetProperty("boot_history", out var history) && history.ValueKind == JsonValueKind.Array
                    ? [.. history.EnumerateArray().Reverse().Select(e => new BootHistoryEntry(Field(e, "time"), Field(e, "version"), Field(e, "mode"), Field(e, "outcome"), Field(e, "detail")))]
                    : []);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Field(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => element.GetString(),
            _ => element.GetRawText(),
        };
    }

    private static string? FreeSpace(JsonElement root) =>
        root.TryGetProperty("host", out var host) && host.ValueKind == JsonValueKind.Object
        && host.TryGetProperty("free_bytes", out var free) && free.TryGetInt64(out var bytes)
        && host.TryGetProperty("total_bytes", out var total) && total.TryGetInt64(out var all)
            ? $"{bytes / 1_048_576:N0} MiB free of {all / 1_048_576:N0} MiB"
            : null;
}
