using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// Where everything lives in a repository, as relative paths with '/' (the same on disk and in URLs). Only paths
/// of this layout are ever served: anything else in the directory (a stray key, a temporary file) is not.
/// </summary>
public static partial class RepositoryLayout
{
    public const string ObjectsDirectory = "objects/sha256";
    public const string RootDirectory = "root";
    public const string ChannelsDirectory = "channels";
    public const string SignaturesDirectory = "signatures";
    public const string DefaultChannel = "stable";

    /// <summary>The short-lived document naming every channel's current edition (<see cref="TimestampDocument"/>).</summary>
    public const string TimestampPath = "timestamp.json";

    /// <summary>Held by whoever changes the metadata (publish, sign, rotate-key); outside the layout, so never served.</summary>
    public const string WriterLock = ".lock";

    public static string ObjectPath(string sha256) => $"{ObjectsDirectory}/{sha256}";

    public static string RootPath(int version) => $"{RootDirectory}/{version.ToString(CultureInfo.InvariantCulture)}.json";

    public static string ChannelPath(string channel) => $"{ChannelsDirectory}/{RequireChannelName(channel)}.json";

    /// <summary>
    /// One detached signature file per key, so each can be checked on its own with openssl, named by the SHA-256 of
    /// the bytes it signs: a signature file never changes, so a cache can never pair a document with the signature
    /// of another edition of it (TUF's consistent snapshots solve the same problem).
    /// </summary>
    public static string SignaturePath(ReadOnlySpan<byte> signedContent, string keyId) =>
        $"{SignaturesDirectory}/{SignatureFilePrefix(signedContent)}{keyId}.sig";

    /// <summary>How the file name of every signature over these bytes starts: <c>&lt;sha256&gt;.</c></summary>
    public static string SignatureFilePrefix(ReadOnlySpan<byte> signedContent) => Convert.ToHexStringLower(SHA256.HashData(signedContent)) + ".";

    public static string RequireChannelName(string channel) =>
        ChannelName().IsMatch(channel)
            ? channel
            : throw new ApplianceException(ExitCode.InvalidInput,
                $"'{channel}' is not a channel name: use lowercase letters, digits and '-' (e.g. stable).");

    public static bool IsSha256(string text) => Sha256Hex().IsMatch(text);

    /// <summary>What a relative path is in the layout, or null when it is not part of it (and must not be served).</summary>
    public static RepositoryPathKind? Classify(string relativePath) =>
        ObjectFile().IsMatch(relativePath) ? RepositoryPathKind.Object
        : SignatureFile().IsMatch(relativePath) ? RepositoryPathKind.Signature
        : MetadataFile().IsMatch(relativePath) ? RepositoryPathKind.Metadata
        : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}\\z")]
    private static partial Regex ChannelName();

    [GeneratedRegex("^[0-9a-f]{64}\\z")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^objects/sha256/[0-9a-f]{64}\\z")]
    private static partial Regex ObjectFile();

    [GeneratedRegex("^signatures/[0-9a-f]{64}\\.[0-9a-f]{64}\\.sig\\z")]
    private static partial Regex SignatureFile();

    [GeneratedRegex("^(root/[1-9][0-9]{0,8}|channels/[a-z0-9][a-z0-9-]{0,63}|timestamp)\\.json\\z")]
    private static partial Regex MetadataFile();
}
