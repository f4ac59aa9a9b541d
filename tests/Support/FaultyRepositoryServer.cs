using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Appliance.Core.Repository;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Tests.Support;

/// <summary>
/// An HTTPS server on 127.0.0.1 that serves a repository directory like the distributor, with the distributor's
/// certificate, but misbehaves on objects (<see cref="ObjectFault"/>; only objects of at least 64 KiB, so manifests
/// arrive intact) and on metadata (<see cref="MetadataFault"/>) as told, and records every request with its Range, so
/// tests can see what a client asked for.
/// </summary>
public sealed class FaultyRepositoryServer : IAsyncDisposable
{
    private const int EndlessChunk = 64 * 1024;
    private const int FaultyObjectSize = 64 * 1024;
    private const int BogusKeyIds = 5;
    private static readonly long EndlessLimit = 64L << 20;
    private static readonly TimeSpan TrickleInterval = TimeSpan.FromMilliseconds(100);

    private readonly WebApplication app;
    private readonly string repository;
    private readonly FaultyServerOptions options;
    private readonly ConcurrentQueue<ObservedRequest> requests = new();
    private int cuts;

    private FaultyRepositoryServer(WebApplication app, string repository, FaultyServerOptions options)
    {
        this.app = app;
        this.repository = repository;
        this.options = options;
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<ObservedRequest> ObjectRequests =>
        [.. requests.Where(request => RepositoryLayout.Classify(request.Path) == RepositoryPathKind.Object)];

    public IReadOnlyList<ObservedRequest> Requests => [.. requests];

    /// <param name="certificateDirectory">Where a <see cref="RunningDistributor"/> made its self-signed certificate.</param>
    public static Task<FaultyRepositoryServer> StartAsync(string repository, string certificateDirectory, ObjectFault fault, long cutAfter = 0) =>
        StartAsync(repository, certificateDirectory, new FaultyServerOptions(fault, CutAfter: cutAfter));

    public static async Task<FaultyRepositoryServer> StartAsync(string repository, string certificateDirectory, FaultyServerOptions options,
        string certificateName = "distributor")
    {
        using var pem = X509Certificate2.CreateFromPemFile(
            Path.Combine(certificateDirectory, $"{certificateName}.crt.pem"), Path.Combine(certificateDirectory, $"{certificateName}.key.pem"));
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // A stalled response ends when the test ends, not after the host's default shutdown wait.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var server = new FaultyRepositoryServer(builder.Build(), repository, options);
        server.app.MapGet("/{**path}", (HttpContext context, string path) => server.ServeAsync(context, path));
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context, string path)
    {
        var range = context.Request.GetTypedHeaders().Range?.Ranges.SingleOrDefault()?.From;
        requests.Enqueue(new ObservedRequest(path, range));
        var kind = RepositoryLayout.Classify(path);
        var file = Path.Combine(repository, path);
        if (RootVersion(path) is { } version && !File.Exists(file))
        {
            if (options.MakeRoot is { } make)
            {
                await make(version);
            }
            else if (options.Metadata == MetadataFault.EndlessRootChain)
            {
                await context.Response.Body.WriteAsync(UnsignedRoot(version));
                return;
            }
        }
        if (kind is null || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var bytes = await File.ReadAllBytesAsync(file);
        var start = range ?? 0;
        if (range is not null)
        {
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
        }
        var body = bytes.AsMemory((int)start);
        var fault = kind == RepositoryPathKind.Object && bytes.Length >= FaultyObjectSize ? options.Objects : ObjectFault.None;
        if (path.StartsWith("channels/", StringComparison.Ordinal) && options.Metadata is MetadataFault.Trickle or MetadataFault.StallAfterHeaders)
        {
            fault = options.Metadata == MetadataFault.Trickle ? ObjectFault.Trickle : ObjectFault.StallAfterHeaders;
        }
        if (fault == ObjectFault.Endless)
        {
            await context.Response.Body.WriteAsync(body);
            var garbage = new byte[EndlessChunk];
            for (long sent = 0; sent < EndlessLimit && !context.RequestAborted.IsCancellationRequested; sent += garbage.Length)
            {
                await context.Response.Body.WriteAsync(garbage, context.RequestAborted);
            }
            return;
        }
        if (fault == ObjectFault.LongerThanDeclared)
        {
            // No length: the client learns the size only from what it signed.
            await context.Response.Body.WriteAsync(body);
            await context.Response.Body.WriteAsync(body);
            return;
        }
        context.Response.ContentLength = body.Length;
        switch (fault)
        {
            case ObjectFault.CutOnce when start < options.CutAfter && bytes.Length > options.CutAfter && Interlocked.Increment(ref cuts) == 1:
                await context.Response.Body.WriteAsync(body[..(int)(options.CutAfter - start)]);
                await context.Response.Body.FlushAsync();
                // Lets the bytes reach the client before the connection goes, so the cut is at a known offset.
                await Task.Delay(500);
                context.Abort();
                return;
            case ObjectFault.Trickle:
                for (var offset = 0; offset < body.Length; offset++)
                {
                    await context.Response.Body.WriteAsync(body.Slice(offset, 1), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(TrickleInterval, context.RequestAborted);
                }
                return;
            case ObjectFault.StallAfterHeaders:
                await context.Response.StartAsync(context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            case ObjectFault.FillDiskHalfway or ObjectFault.FillDiskBeforeLastByte:
                var (before, left) = fault == ObjectFault.FillDiskHalfway ? (body.Length / 2, 16L << 10) : (body.Length - 1, 64L << 10);
                await context.Response.Body.WriteAsync(body[..before]);
                await context.Response.Body.FlushAsync();
                // Lets the bytes reach the client's disk before the space goes.
                await Task.Delay(500);
                FillDisk(options.FillPath ?? throw new InvalidOperationException($"{fault} needs a FillPath"), left);
                await context.Response.Body.WriteAsync(body[before..]);
                return;
            default:
                await context.Response.Body.WriteAsync(body);
                return;
        }
    }

    /// <summary>Takes all but <paramref name="left"/> bytes of the free space of the filesystem holding <paramref name="path"/>, as a growing log would.</summary>
    private static void FillDisk(string path, long left)
    {
        var free = new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace;
        using var filler = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, PreallocationSize = Math.Max(0, free - left),
        });
    }

    private static int? RootVersion(string path) =>
        path.StartsWith("root/", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal)
        && int.TryParse(path["root/".Length..^".json".Length], System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;

    /// <summary>The first root with another version and key ids nobody holds added to its root role; no signature exists for it.</summary>
    private byte[] UnsignedRoot(int version)
    {
        var first = RepositoryDocuments.ParseRoot(File.ReadAllBytes(Path.Combine(repository, RepositoryLayout.RootPath(1))), "root 1");
        var bogus = Enumerable.Range(0, BogusKeyIds).Select(i => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"bogus {version} {i}"))));
        var roles = first.Roles with { Root = first.Roles.Root with { KeyIds = [.. first.Roles.Root.KeyIds, .. bogus] } };
        return RepositoryDocuments.Serialize(first with { Version = version, Roles = roles });
    }
}
