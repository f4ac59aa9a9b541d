using Appliance.Core.Repository;

namespace Appliance.Tests.Support;

/// <summary>Roots and channels signed by test keys, as an appliance would fetch them.</summary>
public static class SignedDocuments
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static RootDocument Root(int version, InMemorySigner key, DateTimeOffset? expires = null) =>
        new(version, expires ?? Now.AddDays(365), [key.PublicKey],
            new RootRoles(new RoleKeys([key.Id], 1), new RoleKeys([key.Id], 1)));

    public static ChannelDocument Channel(int version, DateTimeOffset? expires = null, string name = "stable") =>
        new(name, version, expires ?? Now.AddDays(30), []);

    public static SignedMetadata Signed(RootDocument root, params InMemorySigner[] signers) =>
        Signed(RepositoryLayout.RootPath(root.Version), RepositoryDocuments.Serialize(root), signers);

    public static SignedMetadata Signed(ChannelDocument channel, params InMemorySigner[] signers) =>
        Signed(RepositoryLayout.ChannelPath(channel.Channel), RepositoryDocuments.Serialize(channel), signers);

    public static SignedMetadata Signed(string path, byte[] content, params InMemorySigner[] signers) =>
        new(path, content, [.. signers.Select(signer => signer.SignatureOver(content))]);
}
