using System.Text.Json.Serialization;

namespace Appliance.Core.Repository;

/// <summary>A whole image, compressed (<see cref="Compression"/> names how), stored as one object.</summary>
public sealed record FullImageObject(string Sha256, long Size, string Compression)
{
    public const string Zstd = "zstd";

    /// <summary>The largest window (2^27) a full object's frames use: zstd's default decoder limit, so a larger frame is refused, not allocated.</summary>
    public const int MaxWindowLog = 27;

    [JsonIgnore]
    public ObjectReference Object => new(Sha256, Size);
}
