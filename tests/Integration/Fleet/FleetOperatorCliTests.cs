using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>The operator CLI (<c>fleet groups|tokens|rollouts|devices|rollback|audit</c>) as a process against the real service.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetOperatorCliTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private RunningFleet fleet = null!;

    public async Task InitializeAsync() => fleet = await RunningFleet.StartAsync(temp.File("fleet"));

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Operators_create_a_group_a_token_and_a_rollout_pause_it_and_read_the_audit_log()
    {
        var group = await JsonAsync("groups", "create", "--name", "lab", "--max-switching", "2", "--cron", "0 2 * * *", "--tz", "Europe/Berlin", "--duration", "90");
        Assert.Equal(("0 2 * * *", 90), (group.GetProperty("window_cron").GetString(), group.GetProperty("window_minutes").GetInt32()));
        var token = await JsonAsync("tokens", "create", "--group", "lab", "--max-uses", "3");
        using var device = fleet.NewAppliance(1);
        Assert.Equal(System.Net.HttpStatusCode.OK, await device.EnrolAsync(token.GetProperty("token").GetString()!));

        var rollout = await JsonAsync("rollouts", "create", "--version", "2", "--repository-url", "https://127.0.0.1:8443/", "--policy", "halt_only");
        Assert.Equal(("active", "1,10,50,100"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("rings").GetString()));
        var id = rollout.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var paused = await JsonAsync("rollouts", "pause", id, "--reason", "change freeze");
        Assert.Equal("paused", paused.GetProperty("state").GetString());

        var table = await RunAsync("rollouts", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("change freeze", table.StandardOutput, StringComparison.Ordinal);
        var devices = await JsonAsync("devices", "list");
        Assert.Equal(device.DeviceId, devices[0].GetProperty("id").GetString());
        var forced = await JsonAsync("rollback", "--device", device.DeviceId, "--to", "1", "--reason", "ticket 9");
        Assert.Equal(device.DeviceId, forced.GetProperty("devices")[0].GetString());

        var audit = await JsonAsync("audit");
        Assert.Equal(["create_group", "create_token", "enrol", "create_rollout", "pause", "force_rollback"],
            audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).Where(a => a != "advance_ring"));
        Assert.All(audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() is "pause" or "force_rollback"),
            e => Assert.Equal("operator/admin", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Refusals_are_clear_errors_with_exit_codes()
    {
        var missing = await RunAsync("rollouts", "show", "99");
        Assert.Equal((int)ExitCode.NotFound, missing.ExitCode);
        Assert.Contains("Rollout 99 does not exist", missing.StandardError, StringComparison.Ordinal);

        var badWindow = await RunAsync("groups", "create", "--name", "x", "--cron", "0 2 * * *", "--tz", "Mars/Olympus");
        Assert.Equal((int)ExitCode.InvalidInput, badWindow.ExitCode);
        Assert.Contains("'Mars/Olympus' is not a known time zone", badWindow.StandardError, StringComparison.Ordinal);

        var noToken = await ProcessRunner.RunAsync(Checkout.Fleet, ["devices", "list", "--server", fleet.Address.ToString(), "--ca-cert", fleet.CertificateFile],
            new ProcessOptions(AllowedExitCodes: [.. Enumerable.Range(1, 255)], Environment: new Dictionary<string, string?> { ["FLEET_TOKEN"] = null }));
        Assert.Equal((int)ExitCode.Usage, noToken.ExitCode);

        var wrongToken = await ProcessRunner.RunAsync(Checkout.Fleet,
            ["devices", "list", "--server", fleet.Address.ToString(), "--ca-cert", fleet.CertificateFile, "--token", "op-wrong"],
            new ProcessOptions(AllowedExitCodes: [.. Enumerable.Range(1, 255)]));
        Assert.Equal((int)ExitCode.InvalidInput, wrongToken.ExitCode);

        // Another certificate than the pinned one: the CLI does not talk to that server.
        var otherCertificate = temp.File("other.crt.pem");
        Appliance.Platform.Tls.SelfSignedCertificate.Ensure(temp.File("other"), "other");
        File.Copy(Path.Combine(temp.File("other"), "other.crt.pem"), otherCertificate);
        var unpinned = await ProcessRunner.RunAsync(Checkout.Fleet,
            ["devices", "list", "--server", fleet.Address.ToString(), "--ca-cert", otherCertificate, "--token-file", fleet.TokenFile],
            new ProcessOptions(AllowedExitCodes: [.. Enumerable.Range(1, 255)]));
        Assert.Equal((int)ExitCode.DownloadFailed, unpinned.ExitCode);
    }

    private Task<JsonElement> JsonAsync(params string[] arguments) => fleet.OperatorJsonAsync(arguments);

    private Task<ProcessResult> RunAsync(params string[] arguments) => fleet.OperatorAsync(arguments);
}
