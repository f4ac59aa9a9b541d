using System.Text.Json.Serialization;

namespace Appliance.Upgradectl.Operations;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(UpdaterState))]
internal sealed partial class UpdaterStateJsonContext : JsonSerializerContext;
