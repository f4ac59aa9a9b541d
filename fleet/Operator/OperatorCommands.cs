using System.CommandLine;
using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Fleet.Api;
using Appliance.Platform.Cli;

namespace Appliance.Fleet.Operator;

/// <summary>
/// The operator CLI: <c>fleet devices|tokens|groups|rollouts|rollback|audit</c>, each a call to the operator API
/// (the same endpoints a web view or a script uses), text by default, the server's JSON with --json.
/// </summary>
public static class OperatorCommands
{
    private static readonly string[] DeviceColumns = ["id", "group_name", "hostname", "version", "last_seen", "revoked_at", "open_action_id"];
    private static readonly string[] RolloutColumns = ["id", "channel", "version", "state", "current_ring", "given", "confirmed", "failed", "state_reason"];
    private static readonly string[] GroupColumns = ["name", "channel", "window_cron", "window_time_zone", "window_minutes", "max_switching"];
    private static readonly string[] AuditColumns = ["id", "time", "actor", "action", "subject", "reason", "before", "after"];

    public static IReadOnlyList<Command> Create()
    {
        var connection = new OperatorConnection();
        return [Devices(connection), Tokens(connection), Groups(connection), Rollouts(connection), Rollback(connection), Audit(connection)];
    }

    private static Command Devices(OperatorConnection connection)
    {
        var group = new Option<string?>("--group") { Description = "Only this group" };
        var version = new Option<int?>("--version") { Description = "Only devices running this version" };
        var list = Call(connection, new Command("list", "List devices") { group, version }, DeviceColumns,
            p => (HttpMethod.Get, "/devices" + Query(("group", p.GetValue(group)), ("version", Invariant(p.GetValue(version)))), null));
        var id = new Argument<string>("id") { Description = "Device id (d-...)" };
        var show = Call(connection, new Command("show", "One device: its record, latest actions and rollouts") { id }, [],
            p => (HttpMethod.Get, "/devices/" + Uri.EscapeDataString(p.GetValue(id)!), null));
        var revokeId = new Argument<string>("id") { Description = "Device id (d-...)" };
        var reason = ReasonOption();
        var revoke = Call(connection, new Command("revoke", "Refuse this device from now on (its certificate no longer checks in)") { revokeId, reason }, [],
            p => (HttpMethod.Post, $"/devices/{Uri.EscapeDataString(p.GetValue(revokeId)!)}/revoke", new ReasonRequest(p.GetValue(reason)!)));
        return new Command("devices", "Enrolled devices") { list, show, revoke };
    }

    private static Command Tokens(OperatorConnection connection)
    {
        var group = new Option<string>("--group") { Required = true, Description = "Device group the enrolled devices join" };
        var maxUses = new Option<int>("--max-uses") { DefaultValueFactory = _ => 1, Description = "How many devices may enrol with it" };
        var hours = new Option<int>("--expires-hours") { DefaultValueFactory = _ => 24 * 30, Description = "Validity in hours" };
        var create = Call(connection, new Command("create", "Create an enrolment token (printed once; the factory puts it on the disk)") { group, maxUses, hours }, [],
            p => (HttpMethod.Post, "/tokens", new TokenRequest(p.GetValue(group)!, p.GetValue(maxUses), p.GetValue(hours))));
        return new Command("tokens", "Enrolment tokens") { create };
    }

    private static Command Groups(OperatorConnection connection)
    {
        var name = new Option<string>("--name") { Required = true, Description = "Group name" };
        var channel = new Option<string>("--channel") { DefaultValueFactory = _ => "stable", Description = "Release channel the group follows" };
        var maxSwitching = new Option<int>("--max-switching") { DefaultValueFactory = _ => 10, Description = "Devices of the group that may switch at once" };
        var (cron, zone, duration) = WindowOptions();
        var create = Call(connection, new Command("create", "Create a device group") { name, channel, maxSwitching, cron, zone, duration }, [],
            p => (HttpMethod.Post, "/groups", new GroupRequest(p.GetValue(name)!, p.GetValue(channel)!, p.GetValue(maxSwitching), Window(p, cron, zone, duration))));
        var setName = new Option<string>("--name") { Required = true, Description = "Group name" };
        var (setCron, setZone, setDuration) = WindowOptions();
        var setCap = new Option<int?>("--max-switching") { Description = "New cap on devices switching at once" };
        var setWindow = Call(connection, new Command("set-window", "Set (or with no --cron, remove) the group's maintenance window") { setName, setCron, setZone, setDuration, setCap }, [],
            p => (HttpMethod.Put, $"/groups/{Uri.EscapeDataString(p.GetValue(setName)!)}/window",
                new WindowRequest(Window(p, setCron, setZone, setDuration), p.GetValue(setCap))));
        var list = Call(connection, new Command("list", "List groups"), GroupColumns, _ => (HttpMethod.Get, "/groups", null));
        return new Command("groups", "Device groups, their windows and caps") { create, setWindow, list };
    }

    private static Command Rollouts(OperatorConnection connection)
    {
        var channel = new Option<string>("--channel") { DefaultValueFactory = _ => "stable", Description = "Channel whose devices get the release" };
        var version = new Option<int>("--version") { Required = true, Description = "The release" };
        var repository = new Option<string>("--repository-url") { Required = true, Description = "Distributor URL devices stage from" };
        var rings = new Option<string?>("--rings") { Description = "Cumulative ring percentages (default 1,10,50,100)" };
        var policy = new Option<string?>("--policy") { Description = "halt_only or pull_back (default)" };
        var perMille = new Option<int?>("--advance-per-mille") { Description = "Confirmed per mille of a ring's decided devices to advance (default 999)" };
        var minConfirmed = new Option<int?>("--min-confirmed") { Description = "Confirmed devices a ring needs to advance (default 1)" };
        var silence = new Option<int?>("--silence-seconds") { Description = "Silence after the window before a switching device counts as failed (default 1800)" };
        var create = Call(connection, new Command("create", "Start rolling a release out on a channel") { channel, version, repository, rings, policy, perMille, minConfirmed, silence }, [],
            p => (HttpMethod.Post, "/rollouts", new RolloutRequest(p.GetValue(channel)!, p.GetValue(version), p.GetValue(repository)!, p.GetValue(rings),
                p.GetValue(policy), p.GetValue(perMille), p.GetValue(minConfirmed), p.GetValue(silence))));
        var list = Call(connection, new Command("list", "List rollouts"), RolloutColumns, _ => (HttpMethod.Get, "/rollouts", null));
        var showId = new Argument<long>("id");
        var show = Call(connection, new Command("show", "One rollout: totals, rings and devices") { showId }, [],
            p => (HttpMethod.Get, "/rollouts/" + Invariant(p.GetValue(showId)), null));
        var command = new Command("rollouts", "Staged rollouts") { create, list, show };
        foreach (var (verb, description) in new[]
        {
            ("pause", "Stop handing out actions (reports still count)"),
            ("resume", "Hand out actions again (also after a halt)"),
            ("abort", "Close the rollout; devices keep what they run"),
            ("pull-back", "Halt and tell every device on the release or switching to it to go back"),
        })
        {
            var id = new Argument<long>("id");
            var reason = ReasonOption();
            command.Subcommands.Add(Call(connection, new Command(verb, description) { id, reason }, [],
                p => (HttpMethod.Post, $"/rollouts/{Invariant(p.GetValue(id))}/{verb}", new ReasonRequest(p.GetValue(reason)!))));
        }
        return command;
    }

    private static Command Rollback(OperatorConnection connection)
    {
        var device = new Option<string?>("--device") { Description = "One device" };
        var group = new Option<string?>("--group") { Description = "Every device of a group" };
        var version = new Option<int?>("--version") { Description = "Every device running this version" };
        var to = new Option<int>("--to") { Required = true, Description = "Version to go back to" };
        var reason = ReasonOption();
        return Call(connection, new Command("rollback", "Support: force devices back to a version at their next check-in") { device, group, version, to, reason }, [],
            p => (HttpMethod.Post, "/rollback", new RollbackRequest(p.GetValue(device), p.GetValue(group), p.GetValue(version), p.GetValue(to), p.GetValue(reason)!)));
    }

    private static Command Audit(OperatorConnection connection)
    {
        var subject = new Option<string?>("--subject") { Description = "Only entries about this subject (device/<id>, rollout/<n>, group/<name>)" };
        var after = new Option<long?>("--after") { Description = "Only entries after this id" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (default 1000)" };
        return Call(connection, new Command("audit", "The audit log: every operator action and automatic decision") { subject, after, limit }, AuditColumns,
            p => (HttpMethod.Get, "/audit" + Query(("subject", p.GetValue(subject)), ("after", Invariant(p.GetValue(after))), ("limit", Invariant(p.GetValue(limit)))), null));
    }

    private static Command Call(OperatorConnection connection, Command command, IReadOnlyList<string> columns,
        Func<ParseResult, (HttpMethod Method, string Path, object? Body)> request)
    {
        connection.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var (method, path, body) = request(parse);
            using var client = connection.CreateClient(parse);
            var answer = await OperatorRequest.SendAsync(client, method, path, body, cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await Console.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(answer, FleetApiJson.Options));
            }
            else
            {
                TextOutput.Print(answer, columns, Console.Out);
            }
        });
        return command;
    }

    private static Option<string> ReasonOption() => new("--reason") { Required = true, Description = "Why (kept in the audit log)" };

    private static (Option<string?> Cron, Option<string?> Zone, Option<int> Duration) WindowOptions() =>
        (new Option<string?>("--cron") { Description = "Window start, five-field cron (e.g. '0 2 * * *'); none: any time" },
         new Option<string?>("--tz") { Description = "IANA time zone of --cron (default UTC)" },
         new Option<int>("--duration") { DefaultValueFactory = _ => 120, Description = "Window length in minutes" });

    private static MaintenanceWindow? Window(ParseResult parse, Option<string?> cron, Option<string?> zone, Option<int> duration) =>
        parse.GetValue(cron) is { } expression ? new MaintenanceWindow(expression, parse.GetValue(zone) ?? "UTC", parse.GetValue(duration))
        : parse.GetValue(zone) is not null ? throw new ApplianceException(ExitCode.Usage, "--tz needs --cron.")
        : null;

    private static string? Invariant<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(null, CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}
