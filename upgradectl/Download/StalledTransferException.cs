namespace Appliance.Upgradectl.Download;

/// <summary>A response broke a deadline (<see cref="NetworkDeadlines"/>): like a cut connection, worth another try.</summary>
public sealed class StalledTransferException : IOException
{
    public StalledTransferException()
    {
    }

    public StalledTransferException(string message)
        : base(message)
    {
    }

    public StalledTransferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
