using System.Text.Json.Serialization;

namespace Appliance.Upgradectl.Download;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(int))]
internal sealed partial class TrustJsonContext : JsonSerializerContext;
