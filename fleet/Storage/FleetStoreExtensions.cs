namespace Appliance.Fleet.Storage;

public static class FleetStoreExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> read-only first and again in a write transaction only when it wants to write. Most
    /// check-ins change nothing: they cost a snapshot read and no lock. The work must decide the same way in both
    /// passes (it reads again under the lock: a change in between is seen there).
    /// </summary>
    public static async Task<T> ReadOrWriteAsync<T>(this IFleetStore store, Func<IFleetTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync((transaction, _) => work(transaction), cancellationToken);
        }
        catch (FleetWriteNeededException)
        {
            return await store.InTransactionAsync(work, cancellationToken);
        }
    }
}
