using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;
using Microsoft.AspNetCore.Http;
using Serilog;

namespace Appliance.Fleet.Serving;

/// <summary>
/// Refusals become their status with a JSON <c>{"error": ...}</c>; a database that stays locked or full becomes 503
/// with Retry-After (the transaction was rolled back: nothing half-done).
/// </summary>
public static class ErrorResponses
{
    public const int RetryAfterSeconds = 5;

    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (FleetRequestException e)
        {
            Log.Information("{Method} {Path}: {Status} {Message}", context.Request.Method, context.Request.Path, e.StatusCode, e.Message);
            await WriteAsync(context, e.StatusCode, e.Message);
        }
        catch (FleetStoreBusyException e)
        {
            Log.Warning("{Method} {Path}: {Message}", context.Request.Method, context.Request.Path, e.Message);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorBody(message));
    }
}
