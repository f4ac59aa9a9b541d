using System.Text.Json.Serialization;

namespace Appliance.Core.Fleet;

// snake_case like every other document of the project; a message missing a field is refused, not defaulted.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(EnrolRequest))]
[JsonSerializable(typeof(EnrolResponse))]
[JsonSerializable(typeof(CheckInRequest))]
[JsonSerializable(typeof(CheckInResponse))]
[JsonSerializable(typeof(AgentConfiguration))]
public sealed partial class FleetJsonContext : JsonSerializerContext;
