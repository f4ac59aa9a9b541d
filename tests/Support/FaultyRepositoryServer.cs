using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Repository;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Appliance.Tests.Support;

/// <summary>
/// An HTTPS server on 127.0.0.1 that serves a repository directory like the distributor, with the distributor's
/// certificate, but misbehaves on objects as told (<see cref="ObjectFault"/>) and records every request with its
/// Range, so tests can see what a client asked for after a failure.
/// </summary>
public sealed class FaultyRepositoryServer : IAsyncDisposable
{
    private const int EndlessChunk = 64 * 1024;
    private static readonly long EndlessLimit = 64L << 20;

    private readonly WebApplication app;
    private readonly string repository;
    private readonly ObjectFault fault;
    private readonly long cutAfter;
    private readonly ConcurrentQueue<ObservedRequest> requests = new();
    private int cuts;

    private FaultyRepositoryServer(WebApplication app, string repository, ObjectFault fault, long cutAfter)
    {
        this.app = app;
        this.repository = repository;
        this.fault = fault;
        this.cutAfter = cutAfter;
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<ObservedRequest> ObjectRequests =>
        [.. requests.Where(request => RepositoryLayout.Classify(request.Path) == RepositoryPathKind.Object)];

    /// <param name="certificateDirectory">Where a <see cref="RunningDistributor"/> made its self-signed certificate.</param>
    public static async Task<FaultyRepositoryServer> StartAsync(string repository, string certificateDirectory, ObjectFault fault, long cutAfter = 0)
    {
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(certificateDirectory, "distributor.crt.pem"), Path.Combine(certificateDirectory, "distributor.key.pem"));
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var server = new FaultyRepositoryServer(builder.Build(), repository, fault, cutAfter);
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
        if (kind == RepositoryPathKind.Object && fault == ObjectFault.Endless)
        {
            await context.Response.Body.WriteAsync(body);
            var garbage = new byte[EndlessChunk];
            for (long sent = 0; sent < EndlessLimit && !context.RequestAborted.IsCancellationRequested; sent += garbage.Length)
            {
                await context.Response.Body.WriteAsync(garbage, context.RequestAborted);
            }
            return;
        }
        context.Response.ContentLength = body.Length;
        if (kind == RepositoryPathKind.Object && fault == ObjectFault.CutOnce && start < cutAfter && bytes.Length > cutAfter && Interlocked.Increment(ref cuts) == 1)
        {
            await context.Response.Body.WriteAsync(body[..(int)(cutAfter - start)]);
            await context.Response.Body.FlushAsync();
            // Lets the bytes reach the client before the connection goes, so the cut is at a known offset.
            await Task.Delay(500);
            context.Abort();
            return;
        }
        await context.Response.Body.WriteAsync(body);
    }
}
