using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Fleet.Api;

namespace Appliance.Fleet.Operator;

/// <summary>One call to the operator API; a refusal becomes an ApplianceException with the server's message and a matching exit code.</summary>
public static class OperatorRequest
{
    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "/v1/admin" + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: FleetApiJson.Options);
        }
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ApplianceException(ExitCode.DownloadFailed, $"The fleet service at {client.BaseAddress} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApplianceException(CodeFor(response.StatusCode), $"The fleet refused ({(int)response.StatusCode}): {ErrorOf(text)}");
            }
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static ExitCode CodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ExitCode.NotFound,
        HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests => ExitCode.Busy,
        HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCode.InvalidInput,
        _ => ExitCode.InternalError,
    };

    private static string ErrorOf(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }
}
