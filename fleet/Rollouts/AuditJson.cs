using System.Text.Json;

namespace Appliance.Fleet.Rollouts;

/// <summary>How audit before/after values are written: compact snake_case JSON.</summary>
internal static class AuditJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Stored and shown as text: keep quotes readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
