namespace Appliance.Upgradectl.Download;

/// <summary>
/// The minimum rate of one response body: its token is cancelled unless every <see cref="NetworkDeadlines.RateWindowBytes"/>
/// bytes arrive within <see cref="NetworkDeadlines.RateWindow"/> of the previous ones, so a trickle or a stall after the
/// headers ends as surely as a cut connection. Read with <see cref="Token"/>, report each read to <see cref="Received"/>.
/// </summary>
public sealed class RateWatchdog : IDisposable
{
    private readonly NetworkDeadlines deadlines;
    private readonly CancellationTokenSource timer;
    private long sinceCheckpoint;

    public RateWatchdog(NetworkDeadlines deadlines, CancellationToken cancellationToken)
    {
        this.deadlines = deadlines;
        timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(deadlines.RateWindow);
    }

    public CancellationToken Token => timer.Token;

    public void Received(int bytes)
    {
        sinceCheckpoint += bytes;
        if (sinceCheckpoint >= deadlines.RateWindowBytes)
        {
            sinceCheckpoint = 0;
            timer.CancelAfter(deadlines.RateWindow);
        }
    }

    /// <summary>A cancellation of <see cref="Token"/> that came from the rate and not from the caller's token, as a network failure.</summary>
    public StalledTransferException? Stalled(CancellationToken cancellationToken) =>
        timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? new StalledTransferException(deadlines.TooSlow) : null;

    public void Dispose() => timer.Dispose();
}
