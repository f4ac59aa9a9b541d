using System.Net;
using Appliance.Core.Errors;
using Appliance.Core.Repository;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// The appliance's view of a repository over HTTPS (docs/repository.md): metadata with the signatures of the keys
/// that may sign it, verified with <see cref="RepositoryVerifier"/>, and small objects checked while they arrive.
/// Large objects go through <see cref="ResumableDownload"/>.
/// </summary>
public sealed class RepositoryClient : IDisposable
{
    // Metadata is a few KB; the limit keeps an endless answer from filling memory before anything is verified.
    private const long MetadataLimit = 4 << 20;
    private const int MaxRootsPerCheck = 1000;

    private RepositoryClient(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    public static RepositoryClient Create(string url, string? caCertificate)
    {
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var address) || address.Scheme is not ("https" or "http"))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"'{url}' is not an http(s) URL of a repository.");
        }
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) };
        if (caCertificate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = PinnedCertificate.Load(caCertificate).Validate;
        }
        // Body reads have their own stall timeout (ResumableDownload); this bounds waiting for the headers.
        return new RepositoryClient(new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) });
    }

    public async Task<VerifiedMetadata> FetchVerifiedAsync(SeenMetadata seen, string channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newerRoots = new List<SignedMetadata>();
        var keysOfLast = seen.Root.Roles.Root.KeyIds;
        for (var version = seen.Root.Version + 1; newerRoots.Count < MaxRootsPerCheck; version++)
        {
            var path = RepositoryLayout.RootPath(version);
            if (await GetAsync(path, MetadataLimit, cancellationToken) is not { } content)
            {
                break;
            }
            // Not trusted yet: read only to know whose signatures to fetch; the verifier decides.
            var keysOfNext = RepositoryDocuments.ParseRoot(content, path).Roles.Root.KeyIds;
            newerRoots.Add(await WithSignaturesAsync(path, content, keysOfLast.Concat(keysOfNext), cancellationToken));
            keysOfLast = keysOfNext;
        }
        var root = RepositoryVerifier.UpdateRoot(seen.Root, newerRoots, now);
        var timestamp = await FetchMetadataAsync(RepositoryLayout.TimestampPath, root.Roles.Timestamp.KeyIds, "timestamp (imagebuild repo timestamp)", cancellationToken);
        var channelMetadata = await FetchMetadataAsync(RepositoryLayout.ChannelPath(channel), root.Roles.Channels.KeyIds, $"channel '{channel}'", cancellationToken);
        var named = RepositoryVerifier.VerifyTimestamp(root, timestamp, seen.TimestampVersion, now).Find(channel);
        if (named is not null && RepositoryDocuments.ParseChannel(channelMetadata.Content, channelMetadata.Path).Version < named.Version)
        {
            // A cache may serve the previous edition for up to its max-age after a publish: the edition the timestamp
            // names is also an immutable object under its hash (TUF's consistent snapshots), which no cache can confuse.
            var edition = await FetchObjectAsync(new ObjectReference(named.Sha256, named.Size), $"edition {named.Version} of channel '{channel}'", cancellationToken);
            channelMetadata = await WithSignaturesAsync(channelMetadata.Path, edition, root.Roles.Channels.KeyIds, cancellationToken);
        }
        return RepositoryVerifier.Verify(seen, newerRoots, channel, timestamp, channelMetadata, now);
    }

    /// <summary>A small object (a manifest) in memory, refused at the first byte beyond its signed size or for another hash.</summary>
    public async Task<byte[]> FetchObjectAsync(ObjectReference reference, string description, CancellationToken cancellationToken)
    {
        var path = RepositoryLayout.ObjectPath(reference.Sha256);
        var content = await GetAsync(path, reference.Size + 1, cancellationToken)
            ?? throw new ApplianceException(ExitCode.DownloadFailed, $"The repository does not serve {description} ({path}).");
        ObjectIntegrityCheck.Verify(reference, description, content);
        return content;
    }

    public void Dispose() => Http.Dispose();

    private async Task<SignedMetadata> FetchMetadataAsync(string path, IEnumerable<string> keyIds, string what, CancellationToken cancellationToken)
    {
        var content = await GetAsync(path, MetadataLimit, cancellationToken)
            ?? throw new ApplianceException(ExitCode.NotFound, $"The repository has no {what} ({Http.BaseAddress}{path}).");
        return await WithSignaturesAsync(path, content, keyIds, cancellationToken);
    }

    private async Task<SignedMetadata> WithSignaturesAsync(string path, byte[] content, IEnumerable<string> keyIds, CancellationToken cancellationToken)
    {
        var signatures = new List<DetachedSignature>();
        foreach (var keyId in keyIds.Distinct(StringComparer.Ordinal).Where(RepositoryLayout.IsSha256))
        {
            if (await GetAsync(RepositoryLayout.SignaturePath(content, keyId), MetadataLimit, cancellationToken) is { } signature)
            {
                signatures.Add(new DetachedSignature(keyId, signature));
            }
        }
        return new SignedMetadata(path, content, signatures);
    }

    /// <summary>The whole body, or null for a 404; reading stops at <paramref name="limit"/> bytes.</summary>
    private async Task<byte[]?> GetAsync(string path, long limit, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            RequireSuccess(response, path);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var content = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0 && content.Length < limit)
            {
                content.Write(buffer, 0, (int)Math.Min(read, limit - content.Length));
            }
            return content.ToArray();
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw Unreachable(path, e);
        }
    }

    internal static void RequireSuccess(HttpResponseMessage response, string path)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ApplianceException(ExitCode.DownloadFailed,
                $"The repository answered {(int)response.StatusCode} {response.ReasonPhrase} for {response.RequestMessage?.RequestUri ?? new Uri(path, UriKind.Relative)}.");
        }
    }

    /// <summary>Connection refused or reset, TLS refused, a timeout: worth another try later, unlike a verification failure.</summary>
    internal static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    internal ApplianceException Unreachable(string path, Exception e) =>
        new(ExitCode.DownloadFailed, $"Could not fetch {Http.BaseAddress}{path}: {e.Message}", e);
}
