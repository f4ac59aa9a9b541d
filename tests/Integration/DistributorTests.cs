using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Appliance.Core.Repository;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.Integration;

/// <summary>The distributor as its own process on loopback over HTTPS, with a pinned self-signed certificate.</summary>
[Collection(SerialCollection.Name)]
public sealed class DistributorTests(DistributorFixture fixture, ITestOutputHelper output) : IClassFixture<DistributorFixture>
{
    private const long MemoryLimit = 300L << 20;

    private string SmallPath => "/" + RepositoryLayout.ObjectPath(fixture.SmallObject.Sha256);

    [Fact]
    public async Task A_range_request_is_answered_206_with_exactly_those_bytes()
    {
        using var response = await GetRangeAsync(1000, 1999);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 1000-1999/100000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(1000, response.Content.Headers.ContentLength);
        Assert.Equal(fixture.SmallObjectBytes[1000..2000], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_beyond_the_end_is_answered_416()
    {
        using var response = await GetRangeAsync(200_000, 300_000);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100000", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task An_objects_etag_is_its_sha256_and_a_matching_if_none_match_is_answered_304()
    {
        using var client = fixture.Distributor.CreateClient();
        using var first = await client.GetAsync(SmallPath);
        using var request = new HttpRequestMessage(HttpMethod.Get, SmallPath) { Headers = { IfNoneMatch = { first.Headers.ETag! } } };

        using var again = await client.SendAsync(request);

        Assert.Equal(new EntityTagHeaderValue($"\"{fixture.SmallObject.Sha256}\""), first.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Objects_are_cacheable_for_a_year_as_immutable_and_metadata_is_revalidated_after_a_minute()
    {
        using var client = fixture.Distributor.CreateClient();

        using var objectResponse = await client.GetAsync(SmallPath);
        using var metadata = await client.GetAsync("/channels/stable.json");

        Assert.Equal("public, max-age=31536000, immutable", objectResponse.Headers.CacheControl?.ToString());
        Assert.Equal("public, must-revalidate, max-age=60", metadata.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", metadata.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metadata_has_a_strong_etag_of_its_content_and_is_answered_304_when_unchanged()
    {
        using var client = fixture.Distributor.CreateClient();
        using var first = await client.GetAsync("/channels/stable.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/channels/stable.json") { Headers = { IfNoneMatch = { first.Headers.ETag! } } };

        using var again = await client.SendAsync(request);

        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task Head_gives_the_length_and_etag_without_a_body()
    {
        using var client = fixture.Distributor.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, SmallPath));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.SmallObject.Size, response.Content.Headers.ContentLength);
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/secret.pem")]
    [InlineData("/objects/sha256/../../secret.pem")]
    [InlineData("/channels/..%2Fsecret.pem")]
    [InlineData("/channels/%2e%2e/%2e%2e/outside.txt")]
    [InlineData("/objects/sha256/../../../outside.txt")]
    [InlineData("/objects/sha256/")]
    [InlineData("/objects/")]
    [InlineData("/")]
    public async Task Paths_outside_the_repository_layout_and_directories_are_not_served(string target)
    {
        var answer = await fixture.Distributor.SendRawAsync(target);

        Assert.Matches("^HTTP/1.1 40[04] ", answer);
        Assert.DoesNotContain("PRIVATE KEY", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("OUTSIDE", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metadata_served_verifies_as_an_appliance_checks_it()
    {
        using var client = fixture.Distributor.CreateClient();
        var root = fixture.Root;
        var path = RepositoryLayout.ChannelPath("stable");
        var keyId = root.Roles.Channels.KeyIds.Single();

        var content = await client.GetByteArrayAsync("/" + path);
        using var signature = await client.GetAsync("/" + RepositoryLayout.SignaturePath(content, keyId));
        var fetched = new SignedMetadata(path, content, [new DetachedSignature(keyId, await signature.Content.ReadAsByteArrayAsync())]);

        Assert.Equal("public, max-age=31536000, immutable", signature.Headers.CacheControl?.ToString());

        Assert.Equal(1, RepositoryVerifier.VerifyChannel(root, "stable", fetched, null, DateTimeOffset.UtcNow).Version);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/" + RepositoryLayout.RootPath(2))).StatusCode);
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        using var client = fixture.Distributor.CreateClient();

        Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task A_restarted_distributor_reuses_its_self_signed_certificate_so_pinned_clients_keep_working()
    {
        using var certificates = new TempDirectory();
        string fingerprint;
        await using (var first = await RunningDistributor.StartAsync(fixture.RepositoryDirectory, certificates.Path))
        {
            fingerprint = first.Fingerprint;
        }

        await using var second = await RunningDistributor.StartAsync(fixture.RepositoryDirectory, certificates.Path);
        using var client = second.CreateClient();

        Assert.Equal(fingerprint, second.Fingerprint);
        Assert.Equal("ok\n", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Two_hundred_concurrent_downloads_of_a_64_MiB_object_keep_the_distributor_memory_bounded()
    {
        using var client = fixture.Distributor.CreateClient();
        var path = "/" + RepositoryLayout.ObjectPath(fixture.LargeObject.Sha256);
        var watch = Stopwatch.StartNew();
        using var done = new CancellationTokenSource();
        var sampling = SampleMemoryAsync(done.Token);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => DownloadAndVerifyAsync(client, path)));
        await done.CancelAsync();
        var highestSampled = await sampling;

        var peak = fixture.Distributor.Memory("VmHWM");
        output.WriteLine($"200 concurrent downloads of {DistributorFixture.LargeObjectSize >> 20} MiB in {watch.Elapsed.TotalSeconds:F1} s: "
            + $"distributor VmRSS at most {highestSampled >> 20} MiB while sampling, VmHWM {peak >> 20} MiB");
        Assert.True(peak < MemoryLimit, $"the distributor's peak RSS was {peak >> 20} MiB");
    }

    private async Task<HttpResponseMessage> GetRangeAsync(long from, long to)
    {
        using var client = fixture.Distributor.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, SmallPath) { Headers = { Range = new RangeHeaderValue(from, to) } };
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task DownloadAndVerifyAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var check = new ObjectIntegrityCheck(fixture.LargeObject, path);
        check.CheckDeclaredLength(response.Content.Headers.ContentLength ?? 0);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 << 10];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            check.Append(buffer.AsSpan(0, read));
        }
        check.Complete();
    }

    private async Task<long> SampleMemoryAsync(CancellationToken stop)
    {
        long highest = 0;
        while (!stop.IsCancellationRequested)
        {
            highest = Math.Max(highest, fixture.Distributor.Memory("VmRSS"));
            await Task.Delay(100, CancellationToken.None);
        }
        return highest;
    }
}
