using System.CommandLine;
using Appliance.Core.Fleet;
using Appliance.Platform.Cli;
using Appliance.Platform.Tls;

namespace Appliance.Fleet.Serving;

/// <summary><c>fleet serve --data DIR --urls https://127.0.0.1:9443 [--certificate crt.pem --certificate-key key.pem] [--database CONNECTION]</c></summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "Directory for the database, the fleet CA, the TLS certificate and operator.token" };
        var urls = new Option<string>("--urls")
        {
            DefaultValueFactory = _ => "https://127.0.0.1:9443",
            Description = "Addresses to listen on, ';'-separated; port 0 picks a free port (the chosen address is printed)",
        };
        var certificate = new Option<string?>("--certificate") { Description = "Server certificate (PEM); default: a self-signed one made in --data" };
        var certificateKey = new Option<string?>("--certificate-key") { Description = "Private key of --certificate (PEM)" };
        var interval = new Option<int>("--checkin-interval")
        {
            DefaultValueFactory = _ => FleetProtocol.DefaultIntervalSeconds,
            Description = "Seconds between device check-ins",
        };
        var busyTimeout = new Option<int>("--busy-timeout-ms")
        {
            DefaultValueFactory = _ => 5000,
            Description = "How long a request waits for a locked database before answering 503 with Retry-After",
        };
        var sweepInterval = new Option<int>("--sweep-interval")
        {
            DefaultValueFactory = _ => 30,
            Description = "Seconds between sweeps that count switching devices silent past their deadline as failed",
        };
        var seenFlush = new Option<int>("--last-seen-flush")
        {
            DefaultValueFactory = _ => 10,
            Description = "Seconds last-seen times of check-ins that changed nothing are kept in memory before one batched write",
        };
        var concurrent = new Option<int>("--max-checkins")
        {
            DefaultValueFactory = _ => 4 * Environment.ProcessorCount,
            Description = "Check-ins served at once; up to --checkin-queue more wait, the rest get 429 with Retry-After",
        };
        var queued = new Option<int>("--checkin-queue") { DefaultValueFactory = _ => 256, Description = "Check-ins waiting for a place (at most 2 s)" };
        var database = new Option<string?>("--database")
        {
            Description = "PostgreSQL connection string (e.g. \"Host=/run/postgresql;Database=fleet;Username=fleet\") shared by several fleet nodes; default: SQLite in --data",
        };
        var command = new Command("serve", "Serve the check-in and operator API over HTTPS with mutual TLS for devices")
        {
            data, urls, certificate, certificateKey, interval, busyTimeout, sweepInterval, seenFlush, concurrent, queued, database,
        };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(data)!);
            Directory.CreateDirectory(directory);
            var files = ServerCertificate.Choose(parse.GetValue(certificate), parse.GetValue(certificateKey),
                parse.GetValue(certificate) is null ? directory : null, "fleet")!;
            await FleetServer.RunAsync(new FleetSettings(directory, parse.GetValue(urls)!.Split(';'), files,
                Math.Max(1, parse.GetValue(interval)), TimeSpan.FromMilliseconds(Math.Max(1, parse.GetValue(busyTimeout))),
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(sweepInterval))), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(seenFlush))),
                new AdmissionSettings(parse.GetValue(concurrent), parse.GetValue(queued), TimeSpan.FromSeconds(2)), parse.GetValue(database)), cancellationToken);
        });
        return command;
    }
}
