using System.Net;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Tls;
using Serilog;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// The appliance's view of a repository over HTTPS (docs/repository.md): metadata with the signatures of the keys
/// that may sign it, verified with <see cref="RepositoryVerifier"/>, and small objects checked while they arrive.
/// Large objects go through <see cref="ResumableDownload"/>.
/// </summary>
public sealed class RepositoryClient : IDisposable
{
    /// <summary>Root versions walked in one check, as TUF's max root rotations: a longer chain continues at the next check.</summary>
    public const int MaxRootSteps = 32;

    // Metadata is a few KB; the limits keep an endless answer from filling memory before anything is verified.
    private const long RootLimit = 512 << 10;
    private const long ChannelLimit = 4 << 20;
    private const long SignatureLimit = 16 << 10;
    private const long TimestampLimit = 64 << 10;

    private RepositoryClient(HttpClient http, NetworkDeadlines deadlines)
    {
        Http = http;
        Deadlines = deadlines;
    }

    public HttpClient Http { get; }

    public NetworkDeadlines Deadlines { get; }

    public static RepositoryClient Create(string url, string? caCertificate, NetworkDeadlines deadlines)
    {
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var address) || address.Scheme is not ("https" or "http"))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"'{url}' is not an http(s) URL of a repository.");
        }
        var handler = new SocketsHttpHandler { ConnectTimeout = deadlines.Headers };
        if (caCertificate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = PinnedCertificate.Load(caCertificate).Validate;
        }
        // This bounds waiting for the headers; bodies are bounded by a minimum rate (RateWatchdog), metadata also by a total.
        return new RepositoryClient(new HttpClient(handler) { BaseAddress = address, Timeout = deadlines.Headers }, deadlines);
    }

    public async Task<VerifiedMetadata> FetchVerifiedAsync(SeenMetadata seen, string channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newerRoots = new List<SignedMetadata>();
        var current = seen.Root;
        while (true)
        {
            var path = RepositoryLayout.RootPath(current.Version + 1);
            if (newerRoots.Count == MaxRootSteps)
            {
                Log.Warning("Walked {Steps} new root versions in this check; {Path} and later wait for the next check", MaxRootSteps, path);
                break;
            }
            if (await GetMetadataAsync(path, RootLimit, "a root", cancellationToken) is not { } content)
            {
                break;
            }
            // Verified one version at a time before the next is fetched: signatures are asked for only under key ids a
            // trusted root names, first the current root's, then (once those vouch for it) the new root's own.
            var vouchedFor = await WithSignaturesAsync(path, content, current.Roles.Root.KeyIds, [], cancellationToken);
            var vouched = RepositoryVerifier.VouchedRoot(current, vouchedFor);
            var signed = await WithSignaturesAsync(path, content, vouched.Roles.Root.KeyIds, vouchedFor.Signatures, cancellationToken);
            current = RepositoryVerifier.NextRoot(current, signed);
            newerRoots.Add(signed);
        }
        var root = RepositoryVerifier.UpdateRoot(seen.Root, newerRoots, now);
        var timestamp = await FetchMetadataAsync(RepositoryLayout.TimestampPath, TimestampLimit, root.Roles.Timestamp.KeyIds, "timestamp (imagebuild repo timestamp)", cancellationToken);
        var channelMetadata = await FetchMetadataAsync(RepositoryLayout.ChannelPath(channel), ChannelLimit, root.Roles.Channels.KeyIds, $"channel '{channel}'", cancellationToken);
        var named = RepositoryVerifier.VerifyTimestamp(root, timestamp, seen.TimestampVersion, now).Find(channel);
        if (named is not null && RepositoryDocuments.ParseChannel(channelMetadata.Content, channelMetadata.Path).Version < named.Version)
        {
            // A cache may serve the previous edition for up to its max-age after a publish: the edition the timestamp
            // names is also an immutable object under its hash (TUF's consistent snapshots), which no cache can confuse.
            var edition = await FetchObjectAsync(new ObjectReference(named.Sha256, named.Size), $"edition {named.Version} of channel '{channel}'", cancellationToken);
            channelMetadata = await WithSignaturesAsync(channelMetadata.Path, edition, root.Roles.Channels.KeyIds, [], cancellationToken);
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

    private async Task<SignedMetadata> FetchMetadataAsync(string path, long limit, IEnumerable<string> keyIds, string what, CancellationToken cancellationToken)
    {
        var content = await GetMetadataAsync(path, limit, what, cancellationToken)
            ?? throw new ApplianceException(ExitCode.NotFound, $"The repository has no {what} ({Http.BaseAddress}{path}).");
        return await WithSignaturesAsync(path, content, keyIds, [], cancellationToken);
    }

    /// <param name="have">Signatures already fetched; keys among them are not asked for again.</param>
    private async Task<SignedMetadata> WithSignaturesAsync(
        string path, byte[] content, IEnumerable<string> keyIds, IReadOnlyList<DetachedSignature> have, CancellationToken cancellationToken)
    {
        var signatures = have.ToList();
        foreach (var keyId in keyIds.Distinct(StringComparer.Ordinal).Where(RepositoryLayout.IsSha256).Where(id => signatures.All(s => s.KeyId != id)))
        {
            if (await GetMetadataAsync(RepositoryLayout.SignaturePath(content, keyId), SignatureLimit, "a signature", cancellationToken) is { } signature)
            {
                signatures.Add(new DetachedSignature(keyId, signature));
            }
        }
        return new SignedMetadata(path, content, signatures);
    }

    /// <summary>A metadata file, or null for a 404; one larger than <paramref name="limit"/> is refused.</summary>
    private async Task<byte[]?> GetMetadataAsync(string path, long limit, string what, CancellationToken cancellationToken)
    {
        var content = await GetAsync(path, limit + 1, cancellationToken);
        if (content is not null && content.Length > limit)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{Http.BaseAddress}{path} is larger than {limit} bytes, the most {what} may have: refused.");
        }
        return content;
    }

    /// <summary>
    /// The whole body, or null for a 404; reading stops at <paramref name="limit"/> bytes. The whole read has the
    /// metadata deadline, the body the minimum rate: a server that stalls or trickles is cut off like a dead one.
    /// </summary>
    private async Task<byte[]?> GetAsync(string path, long limit, CancellationToken cancellationToken)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(Deadlines.Metadata);
        RateWatchdog? rate = null;
        try
        {
            using var response = await Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, total.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            RequireSuccess(response, path);
            // The headers had their own deadline (HttpClient.Timeout); the minimum rate starts with the body.
            rate = new RateWatchdog(Deadlines, total.Token);
            await using var body = await response.Content.ReadAsStreamAsync(rate.Token);
            using var content = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while (content.Length < limit && (read = await body.ReadAsync(buffer, rate.Token)) > 0)
            {
                rate.Received(read);
                content.Write(buffer, 0, (int)Math.Min(read, limit - content.Length));
            }
            return content.ToArray();
        }
        catch (OperationCanceledException e) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(path, new StalledTransferException(
                $"not received whole within {Deadlines.Metadata.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s", e));
        }
        catch (OperationCanceledException e) when (rate?.Stalled(cancellationToken) is { } stalled)
        {
            throw Unreachable(path, new StalledTransferException(stalled.Message, e));
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw Unreachable(path, e);
        }
        finally
        {
            rate?.Dispose();
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
