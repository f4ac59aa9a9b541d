using System.Globalization;
using System.Security.Cryptography;
using Appliance.Core.Repository;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Appliance.Distributor;

/// <summary>
/// Serves the paths of the repository layout and nothing else (no listing, no other file in the directory, and
/// no way out of it: only names that <see cref="RepositoryLayout.Classify"/> accepts are opened). The framework's
/// file results do Range (206/416), If-Range, If-None-Match (304), HEAD and Content-Length; this class picks the
/// file, its strong ETag and its caching: objects and signatures never change, metadata for
/// <paramref name="metadataMaxAge"/>.
/// </summary>
public sealed class RepositoryFiles(string directory, TimeSpan metadataMaxAge)
{
    private const string ImmutableCaching = "public, max-age=31536000, immutable";
    private const string Binary = "application/octet-stream";

    private readonly string metadataCaching =
        $"public, max-age={((long)metadataMaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture)}, must-revalidate";

    public IResult Serve(string? path, HttpContext context)
    {
        if (path is null || RepositoryLayout.Classify(path) is not { } kind)
        {
            return Results.NotFound();
        }
        var file = new FileInfo(Path.Combine(directory, path));
        // A missing file may appear soon (root/N+1.json, an object being uploaded): its 404 is only cached briefly.
        context.Response.Headers.CacheControl = file.Exists && kind != RepositoryPathKind.Metadata ? ImmutableCaching : metadataCaching;
        if (!file.Exists)
        {
            return Results.NotFound();
        }
        return kind == RepositoryPathKind.Object ? ServeObject(file) : ServeSmallFile(file);
    }

    /// <summary>Streamed from disk; the name is the SHA-256 of the bytes, so it is the strong ETag for ever.</summary>
    private static IResult ServeObject(FileInfo file) =>
        Results.File(file.FullName, Binary, lastModified: file.LastWriteTimeUtc, entityTag: StrongTag(file.Name), enableRangeProcessing: true);

    /// <summary>
    /// Metadata and signatures are small and replaced by rename: read once, so the ETag (their SHA-256) and the body
    /// are always of the same version even when a signing replaces the file meanwhile.
    /// </summary>
    private static IResult ServeSmallFile(FileInfo file)
    {
        var bytes = File.ReadAllBytes(file.FullName);
        var contentType = file.Name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : Binary;
        return Results.Bytes(bytes, contentType, lastModified: file.LastWriteTimeUtc,
            entityTag: StrongTag(Convert.ToHexStringLower(SHA256.HashData(bytes))), enableRangeProcessing: true);
    }

    private static EntityTagHeaderValue StrongTag(string value) => new($"\"{value}\"");
}
