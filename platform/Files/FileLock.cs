namespace Appliance.Platform.Files;

/// <summary>
/// An exclusive advisory lock on a file (flock, which .NET takes for FileShare.None), released when disposed or when
/// the process dies, so a killed holder never leaves a stale lock behind.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for another holder; null when it stays taken.</summary>
    public static async Task<FileLock?> TryAcquireAsync(string path, TimeSpan wait, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(RetryInterval, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
