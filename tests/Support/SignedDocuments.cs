using Appliance.Core.Repository;

namespace Appliance.Tests.Support;

/// <summary>Roots, timestamps and channels signed by test keys, as an appliance would fetch them.</summary>
public static class SignedDocuments
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A root with one offline root key and one online release key (channels and timestamp).</summary>
    public static RootDocument Root(int version, InMemorySigner rootKey, InMemorySigner releaseKey, DateTimeOffset? expires = null) =>
        new(version, expires ?? Now.AddDays(365), [rootKey.PublicKey, releaseKey.PublicKey],
            new RootRoles(new RoleKeys([rootKey.Id], 1), new RoleKeys([releaseKey.Id], 1), new RoleKeys([releaseKey.Id], 1)));

    public static ChannelDocument Channel(int version, DateTimeOffset? expires = null, string name = "stable") =>
        new(name, version, expires ?? Now.AddDays(30), []);

    /// <summary>A timestamp naming the exact edition <paramref name="channel"/> (its version and bytes).</summary>
    public static TimestampDocument Timestamp(int version, SignedMetadata channel, DateTimeOffset? expires = null)
    {
        return new TimestampDocument(version, expires ?? Now.AddHours(24),
            [ChannelSnapshot.Of(RepositoryDocuments.ParseChannel(channel.Content, channel.Path), channel.Content)]);
    }

    public static SignedMetadata Signed(RootDocument root, params InMemorySigner[] signers) =>
        Signed(RepositoryLayout.RootPath(root.Version), RepositoryDocuments.Serialize(root), signers);

    public static SignedMetadata Signed(ChannelDocument channel, params InMemorySigner[] signers) =>
        Signed(RepositoryLayout.ChannelPath(channel.Channel), RepositoryDocuments.Serialize(channel), signers);

    public static SignedMetadata Signed(TimestampDocument timestamp, params InMemorySigner[] signers) =>
        Signed(RepositoryLayout.TimestampPath, RepositoryDocuments.Serialize(timestamp), signers);

    public static SignedMetadata Signed(string path, byte[] content, params InMemorySigner[] signers) =>
        new(path, content, [.. signers.Select(signer => signer.SignatureOver(content))]);
}
