using System.Text.Json.Serialization;

namespace Appliance.Upgradectl.Commands;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CheckReport))]
internal sealed partial class CheckReportJsonContext : JsonSerializerContext;
