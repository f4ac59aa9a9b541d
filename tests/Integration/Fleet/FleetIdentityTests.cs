using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Appliance.Core.Fleet;
using Appliance.Fleet.Api;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>Enrolment and identity against the real fleet process: tokens, mutual TLS with the fleet CA, revocation, who may see what.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetIdentityTests : IAsyncLifetime
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
    public async Task A_device_enrols_with_a_token_and_checks_in_with_the_certificate_issued_for_its_own_key()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 1);
        using var device = fleet.NewAppliance(1);

        Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));
        Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());

        Assert.Equal(FleetProtocol.DefaultIntervalSeconds, device.LastResponse!.IntervalSeconds);
        Assert.InRange(device.LastResponse.OffsetSeconds, 0, FleetProtocol.DefaultIntervalSeconds - 1);
        Assert.Null(device.LastResponse.Action);
        var record = await fleet.AdminAsync(HttpMethod.Get, "/devices/" + device.DeviceId);
        Assert.Equal("lab", record.GetProperty("device").GetProperty("group_name").GetString());
        Assert.Equal(1, record.GetProperty("device").GetProperty("version").GetInt32());
        Assert.Equal(1, record.GetProperty("device").GetProperty("last_sequence").GetInt64());
        var mode = File.GetUnixFileMode(Path.Combine(fleet.DataDirectory, "ca.key.pem"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task A_wrong_or_used_up_token_is_refused_and_enrolling_the_same_key_again_keeps_its_id()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 1);
        using var first = fleet.NewAppliance(1);
        using var second = fleet.NewAppliance(1);

        Assert.Equal(HttpStatusCode.Forbidden, await first.EnrolAsync("et-not-a-token"));
        Assert.Equal(HttpStatusCode.OK, await first.EnrolAsync(token));
        Assert.Equal(HttpStatusCode.OK, await first.EnrolAsync(token));
        Assert.Equal(HttpStatusCode.Forbidden, await second.EnrolAsync(token));

        var devices = await fleet.AdminAsync(HttpMethod.Get, "/devices");
        Assert.Equal([first.DeviceId], devices.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_refused_at_the_handshake_and_a_missing_one_with_403()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 1);
        using var device = fleet.NewAppliance(1);
        Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));

        // A certificate for the same key and subject, signed by a CA the fleet has never seen: an impersonation.
        using var foreignCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Appliance fleet CA", foreignCaKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var foreignCa = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new CertificateRequest("CN=" + device.DeviceId, deviceKey, HashAlgorithmName.SHA256)
            .Create(foreignCa, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);
        using var forgedWithKey = forged.CopyWithPrivateKey(deviceKey);
        using var impostor = new HttpClient(new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = [forgedWithKey],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => forgedWithKey,
            },
        })
        { BaseAddress = fleet.Address };
        var body = new StringContent("{}", Encoding.UTF8, "application/json");
        await Assert.ThrowsAsync<HttpRequestException>(() => impostor.PostAsync(FleetProtocol.CheckInPath, body));

        using var anonymous = fleet.CreateOperatorClient("none");
        using var answer = await anonymous.PostAsync(FleetProtocol.CheckInPath, new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
    }

    [Fact]
    public async Task A_revoked_device_is_refused_at_check_in_and_at_enrolment()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 5);
        using var device = fleet.NewAppliance(1);
        Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));
        Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());

        await fleet.AdminAsync(HttpMethod.Post, $"/devices/{device.DeviceId}/revoke", new ReasonRequest("stolen"));

        Assert.Equal(HttpStatusCode.Forbidden, await device.CheckInAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await device.EnrolAsync(token));
        var audit = await fleet.AdminAsync(HttpMethod.Get, "/audit?subject=device/" + device.DeviceId);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "revoke" && e.GetProperty("reason").GetString() == "stolen");
    }

    [Fact]
    public async Task Operator_endpoints_refuse_device_certificates_and_requests_without_a_valid_token()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 1);
        using var device = fleet.NewAppliance(1);
        Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));

        using var withDeviceCertificate = await device.GetAsync("/v1/admin/devices");
        Assert.Equal(HttpStatusCode.Unauthorized, withDeviceCertificate.StatusCode);
        using var wrongToken = fleet.CreateOperatorClient("op-wrong");
        using var refused = await wrongToken.GetAsync("/v1/admin/devices");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The enrolment token is no operator credential either.
        using var enrolmentToken = fleet.CreateOperatorClient(token);
        using var refusedToo = await enrolmentToken.GetAsync("/v1/admin/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, refusedToo.StatusCode);
    }

    [Fact]
    public async Task A_device_cannot_finish_or_read_another_devices_action()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 2);
        using var victim = fleet.NewAppliance(1);
        using var attacker = fleet.NewAppliance(1);
        Assert.Equal(HttpStatusCode.OK, await victim.EnrolAsync(token));
        Assert.Equal(HttpStatusCode.OK, await attacker.EnrolAsync(token));
        await fleet.AdminAsync(HttpMethod.Post, "/rollback", new RollbackRequest(victim.DeviceId, null, null, 7, "support case 1"));
        await fleet.AdminAsync(HttpMethod.Post, "/rollback", new RollbackRequest(attacker.DeviceId, null, null, 7, "support case 2"));
        Assert.Equal(HttpStatusCode.OK, await attacker.CheckInAsync());
        var victimRecord = await fleet.AdminAsync(HttpMethod.Get, "/devices/" + victim.DeviceId);
        Assert.Equal(JsonValueKind.Null, victimRecord.GetProperty("device").GetProperty("open_action_id").ValueKind);

        // The victim gets its action; the attacker reports an outcome for it with its own certificate.
        Assert.Equal(HttpStatusCode.OK, await victim.CheckInAsync());
        var victimAction = victim.Actions.Single().Id;
        var (sequence, status) = attacker.NextRequestParts();
        var forged = new CheckInRequest(sequence, JsonSerializer.SerializeToElement(status),
            [new ActionOutcome(victimAction, FleetProtocol.Failed, 15, "forged", DateTimeOffset.UtcNow)], null);
        using var answer = await attacker.SendAsync(JsonSerializer.SerializeToUtf8Bytes(forged, FleetJsonContext.Default.CheckInRequest));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        // Its answer names its own action (or none), never the victim's.
        var attackerAction = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("action");
        Assert.True(attackerAction.ValueKind == JsonValueKind.Null || attackerAction.GetProperty("id").GetString() != victimAction);

        var actions = (await fleet.AdminAsync(HttpMethod.Get, "/devices/" + victim.DeviceId)).GetProperty("actions");
        Assert.Equal(JsonValueKind.Null, actions[0].GetProperty("result").ValueKind);
    }
}
