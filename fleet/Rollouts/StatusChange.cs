using System.Text.Json;
using System.Text.Json.Nodes;

namespace Appliance.Fleet.Rollouts;

/// <summary>
/// Whether a device's status says something new. The uptime and the host's free bytes move at every check-in without
/// anything happening: the stored status is the one of the last change, and last_seen says when the device last spoke.
/// </summary>
public static class StatusChange
{
    public static bool Differs(string? stored, JsonElement status)
    {
        if (stored is null)
        {
            return true;
        }
        JsonNode? before;
        try
        {
            before = JsonNode.Parse(stored);
        }
        catch (JsonException)
        {
            return true;
        }
        return !JsonNode.DeepEquals(WithoutMovingFields(before), WithoutMovingFields(JsonNode.Parse(status.GetRawText())));
    }

    private static JsonNode? WithoutMovingFields(JsonNode? status)
    {
        if (status?["booted"] is JsonObject booted)
        {
            booted.Remove("uptime_seconds");
        }
        if (status?["host"] is JsonObject host)
        {
            host.Remove("free_bytes");
        }
        return status;
    }
}
