using System.Text.Json.Serialization;

namespace Appliance.Core.Manifests;

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImageManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
