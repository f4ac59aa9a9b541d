using System.Globalization;
using Appliance.Bench.Fleet;
using Appliance.Fleet.Simulation;

// fleet-bench credentials CACHE DEVICES            -> prints the credentials directory (made once per DEVICES)
// fleet-bench enrol CREDENTIALS DATA [DATABASE]    -> the fleet CA and the enrolled population in a fresh data directory / database
// fleet-bench load CREDENTIALS URL SERVER_PID DATABASE_PID|- STEADY_SECONDS BURST_SECONDS -> one JSON line
const int Version = 1;
const int IntervalSeconds = 300;
switch (args)
{
    case ["credentials", var cache, var count]:
        Console.WriteLine(DeviceCredentials.Ensure(cache, int.Parse(count, CultureInfo.InvariantCulture)));
        return 0;
    case ["enrol", var credentials, var data, .. var rest]:
    {
        Directory.CreateDirectory(data);
        foreach (var file in new[] { "ca.crt.pem", "ca.key.pem" })
        {
            File.Copy(Path.Combine(credentials, file), Path.Combine(data, file), overwrite: true);
        }
        var devices = DeviceCredentials.Load(credentials);
        using var template = Template(devices[0]);
        await BulkEnrolment.RunAsync(data, rest is [var database] ? database : null, devices, BulkEnrolment.Serialize(template.CurrentStatus()), Version);
        return 0;
    }
    case ["load", var credentials, var url, var serverPid, var databasePid, var steady, var burst]:
    {
        var devices = DeviceCredentials.Load(credentials);
        using var generator = new LoadGenerator(new Uri(url), SimulatedAppliance.PinOf(await File.ReadAllTextAsync(Environment.GetEnvironmentVariable("FLEET_CERTIFICATE")!)),
            devices, Version, IntervalSeconds, int.Parse(serverPid, CultureInfo.InvariantCulture),
            databasePid == "-" ? null : int.Parse(databasePid, CultureInfo.InvariantCulture));
        var steadyResult = await generator.SteadyAsync(warmUpSeconds: 10, double.Parse(steady, CultureInfo.InvariantCulture));
        await Console.Error.WriteLineAsync("steady: " + steadyResult.ToJson());
        var burstResult = await generator.BurstAsync(double.Parse(burst, CultureInfo.InvariantCulture));
        await Console.Error.WriteLineAsync("burst: " + burstResult.ToJson());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"devices\": {devices.Count}, \"interval_seconds\": {IntervalSeconds}, \"steady\": {steadyResult.ToJson()}, \"burst\": {burstResult.ToJson()}, \"server_peak_rss_mb\": {ProcessMeter.PeakRssMegabytes(int.Parse(serverPid, CultureInfo.InvariantCulture)):F0}, \"generator_peak_rss_mb\": {ProcessMeter.PeakRssMegabytes(Environment.ProcessId):F0}}}"));
        return 0;
    }
    default:
        await Console.Error.WriteLineAsync("usage: fleet-bench credentials CACHE DEVICES | enrol CREDENTIALS DATA [DATABASE] | load CREDENTIALS URL SERVER_PID DATABASE_PID|- STEADY BURST");
        return 2;
}

// A device of the population as the fleet last saw it: its status is what every device reports while nothing happens.
static SimulatedAppliance Template(DeviceCredentials device)
{
    var key = System.Security.Cryptography.ECDsa.Create();
    key.ImportPkcs8PrivateKey(device.KeyPkcs8, out _);
    using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(device.CertificateDer);
    return new SimulatedAppliance(new Uri("https://127.0.0.1/"), "", Version, key, certificate);
}
