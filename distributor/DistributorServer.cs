using Appliance.Core.Errors;
using Appliance.Platform.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Appliance.Distributor;

/// <summary>Kestrel with the repository routes and /healthz; logs through Serilog like the other tools.</summary>
public static class DistributorServer
{
    public static async Task RunAsync(DistributorSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Certificate is null && settings.Urls.Any(url => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApplianceException(ExitCode.Usage, "An https URL needs --certificate and --certificate-key, or --self-signed <dir>.");
        }
        using var certificate = settings.Certificate is { } certificateFiles ? ServerCertificate.Load(certificateFiles) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSerilog(dispose: false);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });

        await using var app = builder.Build();
        var files = new RepositoryFiles(settings.RepositoryDirectory, settings.MetadataMaxAge);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], (string? path, HttpContext context) => files.Serve(path, context));

        await app.StartAsync(cancellationToken);
        foreach (var url in app.Urls)
        {
            // On standard output, one line per address: scripts and tests read the port chosen for port 0.
            await Console.Out.WriteLineAsync($"listening on {url}");
        }
        Log.Information("Serving {Repository} on {Urls}", settings.RepositoryDirectory, app.Urls);
        await app.WaitForShutdownAsync(cancellationToken);
    }
}
