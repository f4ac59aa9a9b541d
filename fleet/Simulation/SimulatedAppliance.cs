using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Fleet;

namespace Appliance.Fleet.Simulation;

/// <summary>
/// An appliance that only reports: it speaks the real protocol (its own P-256 key, a PKCS#10 request, the client
/// certificate the fleet issues, mutual TLS) and answers actions by changing its simulated boot state the way
/// upgradectl would. For tests of the fleet and for load generation; real appliances run <c>upgradectl agent</c>.
/// </summary>
public sealed class SimulatedAppliance : IDisposable
{
    private readonly ECDsa key;
    private readonly Uri server;
    private readonly string serverCertificateHash;
    private readonly List<ActionOutcome> unacknowledged = [];
    private readonly List<JsonObject> bootHistory = [];
    private X509Certificate2? clientCertificate;
    private HttpClient? client;
    private long sequence;

    public SimulatedAppliance(Uri server, string serverCertificatePem, int version)
        : this(server, PinOf(serverCertificatePem), version, ECDsa.Create(ECCurve.NamedCurves.nistP256))
    {
    }

    /// <summary>An appliance enrolled before (a load generator's population): its key and the certificate the fleet CA issued for it.</summary>
    public SimulatedAppliance(Uri server, string serverCertificateHash, int version, ECDsa key, X509Certificate2 issued)
        : this(server, serverCertificateHash, version, key)
    {
        clientCertificate = issued.CopyWithPrivateKey(key);
        client = CreateClient(clientCertificate);
    }

    private SimulatedAppliance(Uri server, string serverCertificateHash, int version, ECDsa key)
    {
        this.server = server;
        this.serverCertificateHash = serverCertificateHash;
        this.key = key;
        Booted = version;
        Default = version;
        DeviceId = DeviceIdentity.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>What a device pins: the hash of the fleet's server certificate.</summary>
    public static string PinOf(string serverCertificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(serverCertificatePem);
        return certificate.GetCertHashString();
    }

    /// <summary>Known before enrolment: a function of the key.</summary>
    public string DeviceId { get; }

    public int Booted { get; private set; }

    public int Default { get; private set; }

    public int? TrialFailed { get; private set; }

    public SimulatedBehaviour Behaviour { get; set; } = SimulatedBehaviour.Healthy;

    /// <summary>Stopped talking (SilentAfterApply took effect).</summary>
    public bool Silent { get; private set; }

    /// <summary>Every action received, in order (a resent action appears once).</summary>
    public List<DeviceAction> Actions { get; } = [];

    public CheckInResponse? LastResponse { get; private set; }

    /// <summary>The Retry-After of the last answer, if it had one.</summary>
    public int? LastRetryAfterSeconds { get; private set; }

    public string CertificateSigningRequestPem() =>
        new CertificateRequest("CN=" + DeviceId, key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

    public async Task<HttpStatusCode> EnrolAsync(string token, CancellationToken cancellationToken = default)
    {
        using var anonymous = CreateClient(null);
        using var response = await anonymous.PostAsJsonAsync(FleetProtocol.EnrolPath,
            new EnrolRequest(token, CertificateSigningRequestPem(), "sim-" + DeviceId[2..10], Booted), FleetJsonContext.Default.EnrolRequest, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var enrolled = (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.EnrolResponse, cancellationToken))!;
            using var certificate = X509Certificate2.CreateFromPem(enrolled.CertificatePem);
            clientCertificate?.Dispose();
            clientCertificate = certificate.CopyWithPrivateKey(key);
            client?.Dispose();
            client = CreateClient(clientCertificate);
        }
        return response.StatusCode;
    }

    /// <summary>Uses another device's certificate (an impersonation attempt in tests).</summary>
    public void PresentCertificateOf(SimulatedAppliance other)
    {
        client?.Dispose();
        client = CreateClient(other.clientCertificate);
    }

    /// <summary>One check-in; the action answered is carried out at once (its effect shows in the next status). Null when silent.</summary>
    public async Task<HttpStatusCode?> CheckInAsync(CancellationToken cancellationToken = default)
    {
        if (Silent)
        {
            return null;
        }
        var request = new CheckInRequest(++sequence, JsonSerializer.SerializeToElement(Status()), [.. unacknowledged], null);
        using var response = await SendAsync(JsonSerializer.SerializeToUtf8Bytes(request, FleetJsonContext.Default.CheckInRequest), cancellationToken);
        LastRetryAfterSeconds = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null;
        if (!response.IsSuccessStatusCode)
        {
            return response.StatusCode;
        }
        var answer = (await response.Content.ReadFromJsonAsync(FleetJsonContext.Default.CheckInResponse, cancellationToken))!;
        LastResponse = answer;
        unacknowledged.RemoveAll(o => answer.AcknowledgedOutcomes.Contains(o.ActionId));
        if (answer.Action is { } action && !Actions.Any(a => a.Id == action.Id))
        {
            Actions.Add(action);
            Execute(action);
        }
        return response.StatusCode;
    }

    /// <summary>Sends a check-in body as given (malformed, oversized, replayed requests in tests).</summary>
    public Task<HttpResponseMessage> SendAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return (client ?? throw new InvalidOperationException("Enrol first.")).PostAsync(FleetProtocol.CheckInPath, content, cancellationToken);
    }

    /// <summary>A GET with this device's certificate (to show what a device may not read).</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken = default) =>
        (client ?? throw new InvalidOperationException("Enrol first.")).GetAsync(path, cancellationToken);

    /// <summary>The next sequence number and a well-formed status, for hand-made requests.</summary>
    public (long Sequence, JsonObject Status) NextRequestParts() => (++sequence, Status());

    /// <summary>The status this appliance reports now (what the fleet stores when it changes).</summary>
    public JsonObject CurrentStatus() => Status();

    /// <summary>Resends a sequence number already used (a replay).</summary>
    public long LastSequence => sequence;

    public void Dispose()
    {
        client?.Dispose();
        clientCertificate?.Dispose();
        key.Dispose();
    }

    private void Execute(DeviceAction action)
    {
        switch (action.Kind)
        {
            case FleetProtocol.StageAction:
                Report(action, FleetProtocol.Succeeded);
                break;
            case FleetProtocol.ApplyAction when Behaviour == SimulatedBehaviour.SilentAfterApply:
                Silent = true;
                break;
            case FleetProtocol.ApplyAction when Behaviour == SimulatedBehaviour.FailsTrial:
                // The trial boot failed its health check; GRUB is back on the previous default.
                TrialFailed = action.Version;
                Boot(Default, "rejected", action.Version);
                Report(action, FleetProtocol.Succeeded);
                break;
            case FleetProtocol.ApplyAction:
                Default = action.Version;
                Boot(action.Version, "confirmed", action.Version);
                Report(action, FleetProtocol.Succeeded);
                break;
            case FleetProtocol.RollbackAction:
                Default = action.Version;
                Boot(action.Version, "healthy", action.Version);
                Report(action, FleetProtocol.Succeeded);
                break;
            default:
                Report(action, FleetProtocol.Refused);
                break;
        }
    }

    private void Boot(int version, string outcome, int about)
    {
        Booted = version;
        bootHistory.Add(new JsonObject
        {
            ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["version"] = outcome == "rejected" ? about : version, ["mode"] = "trial",
            ["outcome"] = outcome, ["detail"] = "simulated",
        });
        if (outcome == "rejected")
        {
            bootHistory.Add(new JsonObject
            {
                ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["version"] = version, ["mode"] = "default", ["outcome"] = "healthy", ["detail"] = "simulated",
            });
        }
    }

    private void Report(DeviceAction action, string result) =>
        unacknowledged.Add(new ActionOutcome(action.Id, result, result == FleetProtocol.Succeeded ? 0 : 2, "simulated", DateTimeOffset.UtcNow));

    /// <summary>The fields of <c>upgradectl status --json</c> (docs/status-json.md) a simulated appliance can honestly fill.</summary>
    private JsonObject Status() => new()
    {
        ["schema_version"] = 1,
        ["booted"] = new JsonObject { ["version"] = Booted, ["mode"] = "default", ["uptime_seconds"] = 60.0 },
        ["boot_state"] = new JsonObject
        {
            ["default"] = Default, ["previous"] = null, ["trial"] = null, ["trial_tries"] = null, ["trial_failed"] = TrialFailed,
        },
        ["images"] = new JsonArray(),
        ["last_operation"] = null,
        ["operation_running"] = false,
        ["host"] = new JsonObject { ["path"] = "/host", ["free_bytes"] = 4_000_000_000L, ["total_bytes"] = 8_000_000_000L },
        ["boot_history"] = new JsonArray([.. bootHistory.TakeLast(5).Select(e => (JsonNode)e.DeepClone())]),
    };

    private HttpClient CreateClient(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetCertHashString() == serverCertificateHash,
                // One certificate and no selection callback: .NET resumes a TLS session only when it knows which certificate it would send.
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            },
        };
        // An agent checks in every few minutes: its connection is long closed by the next one, which resumes the TLS session.
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5);
        return new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(120) };
    }
}
