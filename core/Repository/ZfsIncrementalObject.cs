using System.Text.Json.Serialization;

namespace Appliance.Core.Repository;

/// <summary>
/// An incremental OpenZFS send stream from the snapshot holding image <see cref="FromVersion"/> (GUID
/// <see cref="FromGuid"/>, image hash <see cref="FromImageSha256"/>) to the release it is listed under.
/// </summary>
public sealed record ZfsIncrementalObject(int FromVersion, string FromImageSha256, ulong FromGuid, string Sha256, long Size)
{
    [JsonIgnore]
    public ObjectReference Object => new(Sha256, Size);
}
