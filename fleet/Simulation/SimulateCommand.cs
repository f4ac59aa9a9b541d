using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;

namespace Appliance.Fleet.Simulation;

/// <summary>
/// <c>fleet simulate</c>: a load generator of simulated appliances (real keys, real enrolment, mutual TLS) against a
/// running fleet; prints one JSON line with what it measured, for benchmarks.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Required = true, Description = "Fleet service URL" };
        var certificate = new Option<string>("--ca-cert") { Required = true, Description = "The fleet's server certificate (PEM) the devices pin" };
        var token = new Option<string>("--enrol-token") { Required = true, Description = "Enrolment token with enough uses for --devices" };
        var devices = new Option<int>("--devices") { DefaultValueFactory = _ => 100, Description = "Simulated appliances" };
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 3, Description = "Check-ins per device after enrolment" };
        var parallelism = new Option<int>("--parallelism") { DefaultValueFactory = _ => 16, Description = "Requests in flight" };
        var version = new Option<int>("--version") { DefaultValueFactory = _ => 1, Description = "Version the appliances run at first" };
        var command = new Command("simulate", "Load generator: enrol simulated appliances and let them check in (they carry out actions)")
        {
            server, certificate, token, devices, rounds, parallelism, version,
        };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var pem = File.Exists(parse.GetValue(certificate)) ? await File.ReadAllTextAsync(parse.GetValue(certificate)!, cancellationToken)
                : throw new ApplianceException(ExitCode.NotFound, $"Certificate {parse.GetValue(certificate)} does not exist.");
            using var population = SimulatedPopulation.Create(new Uri(parse.GetValue(server)!), pem, Math.Max(1, parse.GetValue(devices)),
                parse.GetValue(version), Math.Max(1, parse.GetValue(parallelism)));
            var clock = Stopwatch.StartNew();
            var refused = await population.EnrolAllAsync(parse.GetValue(token)!, cancellationToken);
            var enrolSeconds = clock.Elapsed.TotalSeconds;
            var answers = new Dictionary<HttpStatusCode, int>();
            clock.Restart();
            for (var round = 0; round < parse.GetValue(rounds); round++)
            {
                foreach (var (status, count) in await population.RoundAsync(cancellationToken: cancellationToken))
                {
                    answers[status] = answers.GetValueOrDefault(status) + count;
                }
            }
            var checkInSeconds = clock.Elapsed.TotalSeconds;
            var checkIns = answers.Values.Sum();
            var statuses = string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"\"{(int)a.Key}\": {a.Value}"));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{{\"devices\": {population.Devices.Count}, \"enrol_refused\": {refused.Count}, \"enrol_seconds\": {enrolSeconds:F2}, \"check_ins\": {checkIns}, \"check_in_seconds\": {checkInSeconds:F2}, \"check_ins_per_second\": {(checkInSeconds > 0 ? checkIns / checkInSeconds : 0):F1}, \"statuses\": {{{statuses}}}, \"retried_busy\": {population.BusyAnswers.Values.Sum()}, \"on_version\": {{{string.Join(", ", population.Devices.GroupBy(d => d.Booted).OrderBy(g => g.Key).Select(g => $"\"{g.Key}\": {g.Count()}"))}}}}}"));
        });
        return command;
    }
}
