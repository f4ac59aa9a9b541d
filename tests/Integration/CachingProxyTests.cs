using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;
using Appliance.Tests.Support;
using Appliance.Upgradectl.Download;

namespace Appliance.Tests.Integration;

/// <summary>The distributor behind a real caching proxy (nginx), as appliances behind a site cache or a CDN see it.</summary>
[Collection(SerialCollection.Name)]
public sealed class CachingProxyTests : IAsyncLifetime
{
    private const int MetadataMaxAgeSeconds = 2;

    private readonly TempDirectory directory = new();
    private readonly InMemorySigner rootKey = new();
    private readonly InMemorySigner key = new();
    private RepositoryWriter writer = null!;
    private RunningDistributor origin = null!;
    private CachingProxy proxy = null!;

    public async Task InitializeAsync()
    {
        writer = new RepositoryWriter(directory.File("repo"), TimeProvider.System);
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", TimeSpan.FromDays(365), TimeSpan.FromDays(30), CancellationToken.None);
        origin = await RunningDistributor.StartAsync(writer.Directory, directory.File("tls"),
            "--metadata-max-age", MetadataMaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        proxy = await CachingProxy.StartAsync(origin, directory.File("nginx"));
    }

    [ToolFact("nginx")]
    public async Task Objects_are_fetched_from_the_origin_once_and_a_cut_download_resumes_from_the_cache()
    {
        var payload = RandomNumberGenerator.GetBytes(8 << 20);
        await File.WriteAllBytesAsync(directory.File("payload"), payload);
        var reference = await writer.AddObjectAsync(directory.File("payload"), CancellationToken.None);
        var path = "/" + RepositoryLayout.ObjectPath(reference.Sha256);
        using var client = origin.CreateClient(proxy.Address);

        using var first = await client.GetAsync(path);
        using var second = await client.GetAsync(path);

        Assert.Equal(("MISS", "HIT"), (CacheStatus(first), CacheStatus(second)));
        Assert.Equal(payload, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(new EntityTagHeaderValue($"\"{reference.Sha256}\""), second.Headers.ETag);
        Assert.Equal("public, max-age=31536000, immutable", second.Headers.CacheControl?.ToString());

        // An appliance whose download was cut half-way resumes with a Range request that the cache answers.
        using var repository = RepositoryClient.Create(proxy.Address.ToString(), origin.CertificateFile, NetworkDeadlines.Default);
        var download = new ResumableDownload(repository, directory.File("downloads"));
        Directory.CreateDirectory(directory.File("downloads"));
        await File.WriteAllBytesAsync(download.PartialPath(reference), payload[..(3 << 20)]);

        var file = await download.RunAsync(reference, "the payload", null, _ => { }, CancellationToken.None);

        Assert.Equal(payload.Length - (3 << 20), download.ReceivedBytes);
        Assert.Equal(payload, await File.ReadAllBytesAsync(file));
    }

    [ToolFact("nginx")]
    public async Task Every_edition_of_the_channel_the_cache_serves_verifies_and_a_publish_shows_after_max_age()
    {
        var publisher = new ImagePublisher(writer, Logging.Progress);
        await publisher.PublishAsync(await FakeImage.WriteAsync(directory.Path, 6), [], 0, "stable", key, TimeSpan.FromDays(30), CancellationToken.None);
        using var client = origin.CreateClient(proxy.Address);
        foreach (var metadata in (string[])["/channels/stable.json", "/timestamp.json"])
        {
            using var cached = await client.GetAsync(metadata);
            Assert.Equal("MISS", CacheStatus(cached));
        }

        // Published while the cache holds the previous editions of the channel and the timestamp but none of their signatures.
        await publisher.PublishAsync(await FakeImage.WriteAsync(directory.Path, 7), [], 0, "stable", key, TimeSpan.FromDays(30), CancellationToken.None);
        using var repository = RepositoryClient.Create(proxy.Address.ToString(), origin.CertificateFile, NetworkDeadlines.Default);
        var appliance = new SeenMetadata(RepositoryOnDisk.FirstRoot(writer.Directory), new Dictionary<string, int>());

        var fromCache = await repository.FetchVerifiedAsync(appliance, "stable", DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(MetadataMaxAgeSeconds + 1));
        var afterMaxAge = await repository.FetchVerifiedAsync(appliance, "stable", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal([6], fromCache.Channel.Releases.Select(release => release.ImageVersion));
        Assert.Equal([6, 7], afterMaxAge.Channel.Releases.Select(release => release.ImageVersion));
        Assert.True(afterMaxAge.Channel.Version > fromCache.Channel.Version);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await origin.DisposeAsync();
        rootKey.Dispose();
        key.Dispose();
        directory.Dispose();
    }

    private static string CacheStatus(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK && response.Headers.TryGetValues(CachingProxy.CacheStatusHeader, out var values) ? values.Single() : $"{response.StatusCode}";
}
