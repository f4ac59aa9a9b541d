using System.Text.Json;

namespace Appliance.Fleet.Api;

/// <summary>The operator API's JSON: snake_case like every document of the project; the server and the CLI share it.</summary>
public static class FleetApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.WriteIndented = true;
        return options;
    }
}
