using System.Security.Cryptography.X509Certificates;
using Appliance.Fleet.Api;
using Appliance.Fleet.Identity;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;
using Appliance.Fleet.Web;
using Appliance.Platform.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Appliance.Fleet.Serving;

/// <summary>
/// Kestrel with TLS: client certificates are allowed (not required: enrolment and the operator API have none) and,
/// when presented, must chain to the fleet CA or the handshake fails.
/// </summary>
public static class FleetServer
{
    public static async Task RunAsync(FleetSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        using var store = FleetStores.Open(settings.Database, settings.DataDirectory, settings.BusyTimeout);
        await store.MigrateAsync(cancellationToken);
        await OperatorTokenFile.EnsureAsync(store, settings.DataDirectory, cancellationToken);
        using var authority = FleetCertificateAuthority.LoadOrCreate(settings.DataDirectory);
        using var certificate = ServerCertificate.Load(settings.Certificate);
        var engine = new RolloutEngine(new EngineSettings(settings.IntervalSeconds), TimeProvider.System);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(dispose: false);
        // For Serilog's provider by name: AddSerilog adds a rule for that provider (everything), which outranks a rule
        // for all providers; without this every request wrote five lines, a large part of a check-in's CPU.
        builder.Logging.AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>("Microsoft.AspNetCore", Microsoft.Extensions.Logging.LogLevel.Warning);
        // The web view's session keys sit unencrypted beside the CA key in the 0700 data directory, as intended: not a warning.
        builder.Logging.AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>("Microsoft.AspNetCore.DataProtection", Microsoft.Extensions.Logging.LogLevel.Error);
        builder.Services.ConfigureHttpJsonOptions(options => FleetApiJson.Configure(options.SerializerOptions));
        builder.Services.AddHostedService(_ => new SilenceSweeper(store, engine, settings.SweepInterval));
        WebLogin.AddServices(builder.Services, store, settings.DataDirectory);
        var lastSeen = new LastSeenBuffer();
        builder.Services.AddHostedService(_ => new LastSeenFlusher(store, lastSeen, settings.LastSeenFlushInterval));
        using var admission = new CheckInAdmission(settings.Admission.Concurrent, settings.Admission.Queued, settings.Admission.QueueWait, settings.IntervalSeconds);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (presented, _, _) => authority.Issued(presented);
            });
        });

        await using var app = builder.Build();
        app.Use(ErrorResponses.HandleAsync);
        app.UseAuthentication();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        new DeviceEndpoints(store, authority, engine, settings.IntervalSeconds, admission, lastSeen).Map(app);
        var actions = new OperatorActions(engine);
        new OperatorEndpoints(store, actions).Map(app);
        new WebEndpoints(store, actions, new WebLogin(store), settings.IntervalSeconds).Map(app);

        await app.StartAsync(cancellationToken);
        foreach (var url in app.Urls)
        {
            // On standard output, one line per address: scripts and tests read the port chosen for port 0.
            await Console.Out.WriteLineAsync($"listening on {url}");
        }
        Log.Information("Fleet service on {Urls}, data in {Data}", app.Urls, settings.DataDirectory);
        await app.WaitForShutdownAsync(cancellationToken);
    }
}
