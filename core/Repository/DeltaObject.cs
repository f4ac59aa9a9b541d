using System.Text.Json.Serialization;

namespace Appliance.Core.Repository;

/// <summary>
/// A delta object that turns the image <see cref="FromVersion"/> (whose bytes hash to <see cref="FromImageSha256"/>)
/// into the release it is listed under. The base hash lets an appliance check that it really has that base.
/// </summary>
public sealed record DeltaObject(int FromVersion, string FromImageSha256, string Sha256, long Size)
{
    [JsonIgnore]
    public ObjectReference Object => new(Sha256, Size);
}
