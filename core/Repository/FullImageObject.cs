using System.Text.Json.Serialization;

namespace Appliance.Core.Repository;

/// <summary>A whole image, compressed (<see cref="Compression"/> names how), stored as one object.</summary>
public sealed record FullImageObject(string Sha256, long Size, string Compression)
{
    public const string Zstd = "zstd";

    [JsonIgnore]
    public ObjectReference Object => new(Sha256, Size);
}
