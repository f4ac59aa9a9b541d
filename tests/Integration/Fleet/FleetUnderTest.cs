using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// The published <c>fleet serve</c> on 127.0.0.1 with SQLite in its own data directory and its self-signed TLS
/// certificate (which the agents pin), and an operator client with the token it made. Stopping and starting again on
/// the same port is a fleet outage as the devices see it.
/// </summary>
public sealed class FleetUnderTest : IAsyncDisposable
{
    private readonly string data;
    private readonly int intervalSeconds;
    private ServerProcess? process;
    private HttpClient? admin;

    private FleetUnderTest(string data, int intervalSeconds)
    {
        this.data = data;
        this.intervalSeconds = intervalSeconds;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The fleet's TLS certificate, which devices pin (<c>--fleet-ca</c>).</summary>
    public string CertificateFile => Path.Combine(data, "fleet.crt.pem");

    public string Log => process?.Log ?? "";

    public static async Task<FleetUnderTest> StartAsync(string data, int intervalSeconds)
    {
        var fleet = new FleetUnderTest(data, intervalSeconds);
        await fleet.StartAsync(port: 0);
        return fleet;
    }

    public async Task StartAsync(int port)
    {
        process = ServerProcess.Start(Checkout.Fleet,
            ["serve", "--data", data, "--urls", $"https://127.0.0.1:{port}", "--checkin-interval", intervalSeconds.ToString(CultureInfo.InvariantCulture), "--sweep-interval", "1"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                Address = new Uri(line["listening on ".Length..]);
                var fingerprint = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificateFile)).GetCertHashString(HashAlgorithmName.SHA256);
                admin?.Dispose();
                admin = new HttpClient(new SocketsHttpHandler
                {
                    SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString(HashAlgorithmName.SHA256) == fingerprint },
                })
                { BaseAddress = Address };
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(data, "operator.token"))).Trim());
                return;
            }
        }
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"fleet serve exited with {process.ExitCode} before listening:\n{process.Log}");
    }

    /// <summary>Kills the service (as a crash or an outage would); <see cref="StartAsync(int)"/> with <see cref="Address"/>'s port brings it back.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    public Task<JsonElement> CreateGroupAsync(string name, object? window, int maxSwitching = 10) =>
        PostAsync("/v1/admin/groups", new { name, channel = "stable", max_switching = maxSwitching, window });

    public async Task<string> CreateTokenAsync(string group) =>
        (await PostAsync("/v1/admin/tokens", new { group, max_uses = 100, expires_in_hours = 1 })).GetProperty("token").GetString()!;

    public async Task<long> CreateRolloutAsync(int version, Uri repository, string rings = "100", string policy = "halt_only") =>
        (await PostAsync("/v1/admin/rollouts", new { channel = "stable", version, repository_url = repository.ToString(), rings, policy, min_confirmed = 1 }))
            .GetProperty("id").GetInt64();

    public Task<JsonElement> ForceRollbackAsync(string device, int to, string reason) =>
        PostAsync("/v1/admin/rollback", new { device, to, reason });

    public Task<JsonElement> DeviceListAsync() => GetAsync("/v1/admin/devices");

    public Task<JsonElement> DeviceAsync(string id) => GetAsync($"/v1/admin/devices/{id}");

    public Task<JsonElement> RolloutAsync(long id) => GetAsync(FormattableString.Invariant($"/v1/admin/rollouts/{id}"));

    /// <summary>The state of one device in a rollout (offered, staged, switching, confirmed, failed, ...).</summary>
    public async Task<string> DeviceStateAsync(long rollout, string device) =>
        (await RolloutAsync(rollout)).GetProperty("devices").EnumerateArray()
            .Single(row => row.GetProperty("device_id").GetString() == device).GetProperty("state").GetString()!;

    /// <summary>The device's actions, oldest first, as (kind, version, result, exit code).</summary>
    public async Task<List<(string Kind, int Version, string? Result, int? ExitCode)>> ActionsAsync(string device) =>
        (await DeviceAsync(device)).GetProperty("actions").EnumerateArray().Reverse()
            .Select(a => (a.GetProperty("kind").GetString()!, a.GetProperty("version").GetInt32(),
                a.GetProperty("result").GetString(), a.GetProperty("exit_code").ValueKind == JsonValueKind.Null ? (int?)null : a.GetProperty("exit_code").GetInt32()))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        admin?.Dispose();
        await StopAsync();
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await admin!.PostAsJsonAsync(path, body);
        return await ReadAsync(response, path);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await admin!.GetAsync(path);
        return await ReadAsync(response, path);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
