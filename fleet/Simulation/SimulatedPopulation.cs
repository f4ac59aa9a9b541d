using System.Collections.Concurrent;
using System.Net;

namespace Appliance.Fleet.Simulation;

/// <summary>
/// Many simulated appliances driven in parallel rounds (a load generator): enrol them all, then let each check in once
/// per round. Reusable by a scale benchmark; every request is the real protocol over real mutual TLS.
/// </summary>
public sealed class SimulatedPopulation(IReadOnlyList<SimulatedAppliance> devices, int parallelism) : IDisposable
{
    public IReadOnlyList<SimulatedAppliance> Devices => devices;

    public static SimulatedPopulation Create(Uri server, string serverCertificatePem, int count, int version, int parallelism) =>
        new([.. Enumerable.Range(0, count).Select(_ => new SimulatedAppliance(server, serverCertificatePem, version))], parallelism);

    /// <summary>Enrols every device with the token; returns the status codes that were not 200 (empty when all enrolled).</summary>
    public async Task<IReadOnlyList<HttpStatusCode>> EnrolAllAsync(string token, CancellationToken cancellationToken = default)
    {
        var refused = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(devices, Options(cancellationToken), async (device, ct) =>
        {
            var status = await device.EnrolAsync(token, ct);
            if (status != HttpStatusCode.OK)
            {
                refused.Add(status);
            }
        });
        return [.. refused];
    }

    /// <summary>
    /// One check-in of every device that is not silent (of <paramref name="only"/> when given); the final answers'
    /// status codes counted, a connection that failed (the service is down) as status 0. A 503 or 429 is retried
    /// after its Retry-After, up to three tries, as the agent does.
    /// </summary>
    public async Task<IReadOnlyDictionary<HttpStatusCode, int>> RoundAsync(Func<SimulatedAppliance, bool>? only = null, CancellationToken cancellationToken = default)
    {
        var counts = new ConcurrentDictionary<HttpStatusCode, int>();
        var busy = new ConcurrentDictionary<HttpStatusCode, int>();
        await Parallel.ForEachAsync(devices.Where(d => !d.Silent && (only is null || only(d))), Options(cancellationToken), async (device, ct) =>
        {
            HttpStatusCode? status;
            var tries = 0;
            do
            {
                try
                {
                    status = await device.CheckInAsync(ct);
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                // Like the agent: busy or overloaded means wait the Retry-After and try again (a few times here).
                if (status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                {
                    busy.AddOrUpdate(status.Value, 1, (_, n) => n + 1);
                    await Task.Delay(TimeSpan.FromSeconds(device.LastRetryAfterSeconds ?? 1), ct);
                }
            }
            while (status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && ++tries < 3);
            if (status is { } code)
            {
                counts.AddOrUpdate(code, 1, (_, n) => n + 1);
            }
        });
        foreach (var (status, count) in busy)
        {
            BusyAnswers.AddOrUpdate(status, count, (_, n) => n + count);
        }
        return counts;
    }

    /// <summary>503/429 answers that were retried after their Retry-After (the final answers are in each round's counts).</summary>
    public ConcurrentDictionary<HttpStatusCode, int> BusyAnswers { get; } = new();

    public void Dispose()
    {
        foreach (var device in devices)
        {
            device.Dispose();
        }
    }

    private ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
}
