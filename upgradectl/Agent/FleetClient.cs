using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Platform.Tls;
using Appliance.Upgradectl.Download;

namespace Appliance.Upgradectl.Agent;

/// <summary>
/// HTTPS to the fleet (docs/fleet-protocol.md): the fleet's certificate pinned when the configuration names one, the
/// device certificate presented once enrolled. Unreachable, 5xx and 429 become <see cref="FleetUnavailableException"/>
/// (try again later); every other refusal an <see cref="ApplianceException"/> naming the status.
/// </summary>
public sealed class FleetClient : IDisposable
{
    private const int MaxResponseBytes = 1 << 20;
    private readonly HttpClient http;

    private FleetClient(HttpClient http) => this.http = http;

    public static FleetClient Create(AgentSettings settings, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (settings.FleetCaFile is { } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = PinnedCertificate.Load(ca).Validate;
        }
        if (clientCertificate is not null)
        {
            // One certificate and no selection callback: .NET resumes a TLS session only when it knows which certificate it would send.
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }
        return new FleetClient(new HttpClient(handler) { BaseAddress = settings.FleetUrl, Timeout = TimeSpan.FromSeconds(60) });
    }

    public Task<EnrolResponse> EnrolAsync(EnrolRequest request, CancellationToken cancellationToken) =>
        PostAsync(FleetProtocol.EnrolPath, request, FleetJsonContext.Default.EnrolRequest, FleetJsonContext.Default.EnrolResponse, cancellationToken);

    public Task<CheckInResponse> CheckInAsync(CheckInRequest request, CancellationToken cancellationToken) =>
        PostAsync(FleetProtocol.CheckInPath, request, FleetJsonContext.Default.CheckInRequest, FleetJsonContext.Default.CheckInResponse, cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task<TResponse> PostAsync<TRequest, TResponse>(
        string path, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(path.TrimStart('/'), content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new FleetUnavailableException($"The fleet at {http.BaseAddress} cannot be reached: {e.Message}", innerException: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FleetUnavailableException($"The fleet at {http.BaseAddress} did not answer in time.", innerException: e);
        }
        using (response)
        {
            var text = await ReadLimitedAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new FleetUnavailableException($"The fleet asks to wait (429): {text}", RetryAfterOf(response.Headers.RetryAfter) ?? TimeSpan.FromMinutes(1));
            }
            if ((int)response.StatusCode >= 500)
            {
                // 503 with Retry-After: the fleet's database is busy; other 5xx: back off as from an outage.
                throw new FleetUnavailableException($"The fleet failed ({(int)response.StatusCode}): {text}", RetryAfterOf(response.Headers.RetryAfter));
            }
            if (!response.IsSuccessStatusCode)
            {
                var code = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized ? ExitCode.VerificationFailed : ExitCode.InvalidInput;
                throw new ApplianceException(code, $"The fleet refused {path} ({(int)response.StatusCode} {response.ReasonPhrase}): {text}");
            }
            try
            {
                return JsonSerializer.Deserialize(text, responseType) ?? throw new JsonException("empty document");
            }
            catch (JsonException e)
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"The fleet's answer to {path} is not valid: {e.Message}", e);
            }
        }
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header)
    {
        var wait = header?.Delta ?? (header?.Date - DateTimeOffset.UtcNow);
        return wait > TimeSpan.Zero ? wait : null;
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var read = 0;
        int got;
        while (read < buffer.Length && (got = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += got;
        }
        if (read > MaxResponseBytes)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"The fleet's answer is larger than {MaxResponseBytes} bytes.");
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }
}
