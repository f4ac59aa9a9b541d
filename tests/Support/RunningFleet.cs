using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appliance.Fleet.Api;
using Appliance.Fleet.Simulation;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// The published <c>fleet serve</c> as its own process on 127.0.0.1 (free port, self-signed certificate and CA in its
/// data directory, SQLite), an operator client that pins its certificate, and simulated appliances that talk to it.
/// </summary>
public sealed class RunningFleet : IAsyncDisposable
{
    private readonly string[] options;
    private ServerProcess process;

    private RunningFleet(ServerProcess process, string dataDirectory, Uri address, string[] options)
    {
        this.process = process;
        this.options = options;
        DataDirectory = dataDirectory;
        Address = address;
    }

    public string DataDirectory { get; }

    public Uri Address { get; private set; }

    public string CertificateFile => Path.Combine(DataDirectory, "fleet.crt.pem");

    public string CertificatePem => File.ReadAllText(CertificateFile);

    public string TokenFile => Path.Combine(DataDirectory, "operator.token");

    public string OperatorToken => File.ReadAllText(TokenFile).Trim();

    public string Log => process.Log;

    public int ProcessId => process.Id;

    /// <param name="options">More <c>fleet serve</c> options (e.g. --sweep-interval 1).</param>
    public static async Task<RunningFleet> StartAsync(string dataDirectory, params string[] options)
    {
        var (process, address) = await LaunchAsync(dataDirectory, "https://127.0.0.1:0", options);
        return new RunningFleet(process, dataDirectory, address, options);
    }

    /// <summary>SIGKILL (no shutdown of any kind), then a new process on the same data directory and port.</summary>
    public async Task KillAndRestartAsync()
    {
        process.Kill();
        await process.DisposeAsync();
        (process, Address) = await LaunchAsync(DataDirectory, $"https://127.0.0.1:{Address.Port}", options);
    }

    /// <summary>SIGTERM (the orderly stop of a restart: the node flushes what it batched), then a new process on the same data directory and port.</summary>
    public async Task StopAndRestartAsync()
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await process.WaitForExitAsync().WaitAsync(timeout.Token);
        }
        Assert.True(process.ExitCode == 0, $"fleet serve exited with {process.ExitCode} on SIGTERM:\n{Log}");
        await process.DisposeAsync();
        (process, Address) = await LaunchAsync(DataDirectory, $"https://127.0.0.1:{Address.Port}", options);
    }

    public HttpClient CreateOperatorClient(string? token = null)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(CertificatePem);
        var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetCertHashString() == pinned.GetCertHashString() },
        })
        { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? OperatorToken);
        return client;
    }

    /// <summary>An operator API call that must succeed; its JSON answer.</summary>
    public async Task<JsonElement> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var client = CreateOperatorClient();
        using var request = new HttpRequestMessage(method, "/v1/admin" + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: FleetApiJson.Options);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {text}\n{Log}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A group and an enrolment token for it; the token's secret.</summary>
    public async Task<string> GroupWithTokenAsync(string group, int maxUses, int maxSwitching = 10_000, Core.Fleet.MaintenanceWindow? window = null, string channel = "stable")
    {
        await AdminAsync(HttpMethod.Post, "/groups", new GroupRequest(group, channel, maxSwitching, window));
        var token = await AdminAsync(HttpMethod.Post, "/tokens", new TokenRequest(group, maxUses, 24));
        return token.GetProperty("token").GetString()!;
    }

    /// <summary>The operator CLI (<c>fleet ARGUMENTS</c>) as a process against this fleet, with its token and pinned certificate; any exit code.</summary>
    public Task<ProcessResult> OperatorAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Checkout.Fleet, [.. arguments, "--server", Address.ToString(), "--token-file", TokenFile, "--ca-cert", CertificateFile],
            new ProcessOptions(AllowedExitCodes: [.. Enumerable.Range(1, 255)]));

    /// <summary>An operator CLI command with --json that must succeed; its JSON answer.</summary>
    public async Task<JsonElement> OperatorJsonAsync(params string[] arguments)
    {
        var result = await OperatorAsync([.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"fleet {string.Join(' ', arguments)}: {result.ExitCode}\n{result.StandardError}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    public SimulatedAppliance NewAppliance(int version) => new(Address, CertificatePem, version);

    public SimulatedPopulation NewPopulation(int count, int version, int parallelism = 8) =>
        SimulatedPopulation.Create(Address, CertificatePem, count, version, parallelism);

    public async Task<JsonElement> RolloutAsync(long id) => (await AdminAsync(HttpMethod.Get, $"/rollouts/{id}")).GetProperty("rollout");

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static async Task<(ServerProcess, Uri)> LaunchAsync(string dataDirectory, string url, string[] options)
    {
        var process = ServerProcess.Start(Checkout.Fleet, ["serve", "--data", dataDirectory, "--urls", url, .. options]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                return (process, new Uri(line["listening on ".Length..]));
            }
        }
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"fleet exited with {process.ExitCode} before listening:\n{process.Log}");
    }
}
