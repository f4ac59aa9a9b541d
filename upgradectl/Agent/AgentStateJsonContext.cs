using System.Text.Json.Serialization;

namespace Appliance.Upgradectl.Agent;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(AgentState))]
internal sealed partial class AgentStateJsonContext : JsonSerializerContext;
