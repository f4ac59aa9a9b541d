using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Appliance.Fleet.Serving;

/// <summary>Periodically counts switching devices silent past their deadline as failed (RolloutEngine.SweepAsync: idempotent, safe on several nodes).</summary>
public sealed class SilenceSweeper(IFleetStore store, RolloutEngine engine, TimeSpan interval) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                int failed;
                do
                {
                    failed = await store.InTransactionAsync(transaction => engine.SweepAsync(transaction, BatchSize), stoppingToken);
                    if (failed > 0)
                    {
                        Log.Information("Counted {Count} silent device(s) as failed", failed);
                    }
                }
                while (failed == BatchSize);
            }
            catch (FleetStoreBusyException e)
            {
                Log.Warning("Silence sweep skipped: {Message}", e.Message);
            }
        }
    }
}
