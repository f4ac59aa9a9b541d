using System.Text.Json.Serialization;

namespace Appliance.Core.Manifests;

// As for the repository documents: a manifest missing a field (carry_over, sha256...) is refused, not read as null.
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ImageManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
