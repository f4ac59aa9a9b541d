using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// The JSON of signed metadata. Signatures cover the exact bytes of the file, so these bytes are written once and
/// never re-serialized before verification: no canonical form is needed.
/// </summary>
public static class RepositoryDocuments
{
    public static byte[] Serialize(RootDocument root) => Serialize(root, RepositoryJsonContext.Default.RootDocument);

    public static byte[] Serialize(ChannelDocument channel) => Serialize(channel, RepositoryJsonContext.Default.ChannelDocument);

    public static byte[] Serialize(TimestampDocument timestamp) => Serialize(timestamp, RepositoryJsonContext.Default.TimestampDocument);

    public static byte[] Serialize(BundleDocument bundle) => Serialize(bundle, RepositoryJsonContext.Default.BundleDocument);

    public static RootDocument ParseRoot(ReadOnlySpan<byte> json, string origin) =>
        Parse(json, RepositoryJsonContext.Default.RootDocument, origin);

    public static ChannelDocument ParseChannel(ReadOnlySpan<byte> json, string origin)
    {
        var channel = Parse(json, RepositoryJsonContext.Default.ChannelDocument, origin);
        var problem = channel.Releases.Select(release => release.Problem()).FirstOrDefault(problem => problem is not null);
        return problem is null ? channel : throw new ApplianceException(ExitCode.InvalidInput, $"Repository metadata {origin} is not valid: {problem}.");
    }

    public static TimestampDocument ParseTimestamp(ReadOnlySpan<byte> json, string origin) =>
        Parse(json, RepositoryJsonContext.Default.TimestampDocument, origin);

    public static BundleDocument ParseBundle(ReadOnlySpan<byte> json, string origin) =>
        Parse(json, RepositoryJsonContext.Default.BundleDocument, origin);

    private static byte[] Serialize<T>(T document, JsonTypeInfo<T> type) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document, type) + "\n");

    private static T Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Repository metadata {origin} is not valid: {e.Message}", e);
        }
    }
}
