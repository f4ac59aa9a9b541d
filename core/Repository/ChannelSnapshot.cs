using System.Security.Cryptography;

namespace Appliance.Core.Repository;

/// <summary>One channel document as the timestamp names it: its version and the SHA-256 and size of its exact bytes.</summary>
public sealed record ChannelSnapshot(string Channel, int Version, string Sha256, long Size)
{
    public static ChannelSnapshot Of(ChannelDocument channel, ReadOnlySpan<byte> content) =>
        new(channel.Channel, channel.Version, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length);
}
