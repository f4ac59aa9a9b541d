using System.Globalization;
using System.Threading.RateLimiting;
using Appliance.Fleet.Rollouts;
using Microsoft.AspNetCore.Http;

namespace Appliance.Fleet.Serving;

/// <summary>
/// Sheds load instead of falling over: at most <c>concurrent</c> check-ins run, a bounded queue waits at most
/// <c>queueWait</c>, and everyone else is answered 429 at once with a Retry-After spread over the check-in interval,
/// so a fleet that came back all at once (after an outage) returns spread out rather than in the same second.
/// </summary>
public sealed class CheckInAdmission(int concurrent, int queued, TimeSpan queueWait, int intervalSeconds) : IDisposable
{
    private readonly ConcurrencyLimiter limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Math.Max(1, concurrent), QueueLimit = Math.Max(0, queued), QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private long refused;

    /// <summary>Check-ins answered 429 since the start (logged by the caller now and then).</summary>
    public long Refused => Interlocked.Read(ref refused);

    /// <summary>A lease to run one check-in; throws the 429 refusal when there is no room.</summary>
    public async Task<RateLimitLease> AdmitAsync(HttpContext context)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(queueWait);
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw Refusal(context);
        }
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw Refusal(context);
        }
        return lease;
    }

    public void Dispose() => limiter.Dispose();

    private FleetRequestException Refusal(HttpContext context)
    {
        Interlocked.Increment(ref refused);
        var retryAfter = Random.Shared.Next(Math.Min(10, intervalSeconds), Math.Max(11, intervalSeconds + 1));
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return new FleetRequestException(StatusCodes.Status429TooManyRequests, "The fleet is busy: check in again after Retry-After seconds.");
    }
}
