using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Simulation;

namespace Appliance.Bench.Fleet;

/// <summary>
/// Drives the population against one node in open loop (a device checks in when its time comes, whether or not the
/// node kept up): each device is a <see cref="SimulatedAppliance"/> with its own key, certificate and HttpClient (as
/// an agent keeps one), so every check-in is a real mutual-TLS request that may resume the device's TLS session. A
/// 429 or 503 is retried after its Retry-After plus the agent's jitter, no answer at all after a backoff; a device
/// still without its 200 at the deadline is a lost report.
/// </summary>
public sealed class LoadGenerator(Uri server, string serverPin, IReadOnlyList<DeviceCredentials> credentials, int version, int intervalSeconds,
    int serverPid, int? databasePid) : IDisposable
{
    private const double WindowSeconds = 10;
    private const double LatencyTargetMs = 50;
    private readonly SimulatedAppliance?[] devices = new SimulatedAppliance?[credentials.Count];

    /// <summary>
    /// Each device at its place in the interval (the offset the fleet gives it, plus jitter), for
    /// <paramref name="seconds"/> after <paramref name="warmUpSeconds"/> that are run but not measured.
    /// </summary>
    public Task<PhaseResult> SteadyAsync(double warmUpSeconds, double seconds)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - warmUpSeconds;
        var jitter = CheckInSchedule.JitterSeconds(intervalSeconds);
        var schedule = new List<(double At, int Device)>();
        for (var i = 0; i < credentials.Count; i++)
        {
            var due = CheckInSchedule.OffsetSeconds(credentials[i].DeviceId, intervalSeconds) + Random.Shared.NextDouble() * jitter;
            var at = ((due - start % intervalSeconds) % intervalSeconds + intervalSeconds) % intervalSeconds - warmUpSeconds;
            if (at >= -warmUpSeconds && at < seconds)
            {
                schedule.Add((at, i));
            }
        }
        return RunAsync(schedule, seconds, warmUpSeconds, deadlineSeconds: seconds + 30, windows: false);
    }

    /// <summary>Every device checks in once within <paramref name="seconds"/> (a fleet back after an outage); waits for every answer up to two intervals after.</summary>
    public Task<PhaseResult> BurstAsync(double seconds)
    {
        var schedule = Enumerable.Range(0, credentials.Count).Select(i => (Random.Shared.NextDouble() * seconds, i)).ToList();
        return RunAsync(schedule, seconds, 0, deadlineSeconds: seconds + 2 * intervalSeconds, windows: true);
    }

    public void Dispose()
    {
        foreach (var device in devices)
        {
            device?.Dispose();
        }
    }

    private async Task<PhaseResult> RunAsync(List<(double At, int Device)> schedule, double seconds, double warmUpSeconds, double deadlineSeconds, bool windows)
    {
        schedule.Sort();
        var samples = new ConcurrentQueue<Sample>();
        var answered = new ConcurrentDictionary<int, bool>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(deadlineSeconds + warmUpSeconds));
        var clock = Stopwatch.StartNew();
        double Now() => clock.Elapsed.TotalSeconds - warmUpSeconds;
        (double Server, double Database, double Generator, string Load)? measuredFrom = warmUpSeconds <= 0 ? Snapshot() : null;
        var running = new List<Task>(schedule.Count);
        foreach (var (at, index) in schedule)
        {
            if (measuredFrom is null && at >= 0)
            {
                await DelayUntilAsync(0);
                measuredFrom = Snapshot();
            }
            await DelayUntilAsync(at);
            running.Add(DeviceAsync(index, at >= 0, samples, answered, Now, deadline.Token));
        }
        async Task DelayUntilAsync(double at)
        {
            var wait = at - Now();
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }
        }
        await DelayUntilAsync(seconds);
        var measuredTo = Snapshot();
        await Task.WhenAll(running);
        measuredFrom ??= measuredTo;
        var all = samples.ToList();
        var result = new PhaseResult
        {
            Samples = all, Seconds = seconds, Devices = credentials.Count,
            Unanswered = schedule.Count(s => s.At >= 0) - answered.Count,
            ServerCpuSeconds = measuredTo.Server - measuredFrom.Value.Server, DatabaseCpuSeconds = measuredTo.Database - measuredFrom.Value.Database,
            GeneratorCpuSeconds = measuredTo.Generator - measuredFrom.Value.Generator, LoadAverageStart = measuredFrom.Value.Load, LoadAverageEnd = measuredTo.Load,
        };
        if (!windows)
        {
            return result;
        }
        // The burst's retries come back over the following interval: count their CPU too, and find when it was steady again.
        var final = Snapshot();
        var rows = all.GroupBy(s => Math.Floor(s.CompletedAt / WindowSeconds) * WindowSeconds).OrderBy(g => g.Key)
            .Select(g => (Start: g.Key, Ok: g.Count(s => s.Status == 200), Refused: g.Count(s => s.Status == 429), Errors: g.Count(s => s.Status is not (200 or 429)),
                P99: PhaseResult.Percentile([.. g.Where(s => s.Status != 0).Select(s => s.LatencyMs).Order()], 0.99)))
            .ToList();
        var lastBad = rows.LastOrDefault(w => w.Refused > 0 || w.Errors > 0 || w.P99 > LatencyTargetMs);
        return new PhaseResult
        {
            Samples = all, Seconds = clock.Elapsed.TotalSeconds, Devices = result.Devices, Unanswered = result.Unanswered,
            ServerCpuSeconds = final.Server - measuredFrom.Value.Server, DatabaseCpuSeconds = final.Database - measuredFrom.Value.Database,
            GeneratorCpuSeconds = final.Generator - measuredFrom.Value.Generator, LoadAverageStart = result.LoadAverageStart, LoadAverageEnd = final.Load,
            Windows = rows, RecoveredAtSeconds = lastBad == default ? 0 : lastBad.Start + WindowSeconds,
        };
    }

    private async Task DeviceAsync(int index, bool measured, ConcurrentQueue<Sample> samples, ConcurrentDictionary<int, bool> answered, Func<double> now,
        CancellationToken deadline)
    {
        var device = Device(index);
        var failures = 0;
        try
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                HttpStatusCode? status;
                try
                {
                    status = await device.CheckInAsync(deadline);
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    status = 0;
                }
                if (measured)
                {
                    samples.Enqueue(new Sample(now(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, (int)(status ?? 0)));
                }
                if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    // As the agent does: what the node asked, plus jitter.
                    await Task.Delay(TimeSpan.FromSeconds((device.LastRetryAfterSeconds ?? 5) + Random.Shared.NextDouble() * CheckInSchedule.JitterSeconds(intervalSeconds)), deadline);
                    continue;
                }
                if (status is null or (HttpStatusCode)0)
                {
                    // No answer (connection refused, handshake timed out): the agent backs off and tries again; counted as an error.
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(intervalSeconds, 10 * Math.Pow(2, failures++)) + Random.Shared.NextDouble() * CheckInSchedule.JitterSeconds(intervalSeconds)), deadline);
                    continue;
                }
                if (status == HttpStatusCode.OK && measured)
                {
                    answered[index] = true;
                }
                return;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Still waiting to retry at the deadline: counted as a lost report.
        }
    }

    private SimulatedAppliance Device(int index) =>
        devices[index] ??= Create(credentials[index]);

    private SimulatedAppliance Create(DeviceCredentials device)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(device.KeyPkcs8, out _);
        using var certificate = X509CertificateLoader.LoadCertificate(device.CertificateDer);
        return new SimulatedAppliance(server, serverPin, version, key, certificate);
    }

    private (double Server, double Database, double Generator, string Load) Snapshot() =>
        (ProcessMeter.CpuSeconds(serverPid), databasePid is { } pid ? ProcessMeter.CpuSeconds(pid, withChildren: true) : 0,
            ProcessMeter.CpuSeconds(Environment.ProcessId), ProcessMeter.LoadAverage());
}
