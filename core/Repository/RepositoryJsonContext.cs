using System.Text.Json.Serialization;

namespace Appliance.Core.Repository;

// A document missing a field is refused instead of read with a default (a zero version, no expiry).
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RootDocument))]
[JsonSerializable(typeof(ChannelDocument))]
[JsonSerializable(typeof(TimestampDocument))]
[JsonSerializable(typeof(BundleDocument))]
internal sealed partial class RepositoryJsonContext : JsonSerializerContext;
