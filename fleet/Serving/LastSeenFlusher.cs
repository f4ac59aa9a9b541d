using Appliance.Fleet.Storage;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Appliance.Fleet.Serving;

/// <summary>Flushes the <see cref="LastSeenBuffer"/> every interval, and once more when the node stops (a restart loses nothing).</summary>
public sealed class LastSeenFlusher(IFleetStore store, LastSeenBuffer buffer, TimeSpan interval) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await buffer.FlushAsync(store, stoppingToken);
            }
            catch (FleetStoreBusyException)
            {
                // Kept for the next tick (logged by the buffer).
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // After the server stopped taking requests (hosted services stop after it), so nothing arrives behind this.
        var flushed = await buffer.FlushAsync(store, CancellationToken.None);
        Log.Information("Flushed {Count} last-seen time(s) on stop", flushed);
    }
}
