namespace Appliance.Tests.Support;

/// <summary>A fresh directory per test, removed afterwards (on disk, not tmpfs: images need real space).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(Root, System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public static string Root => Environment.GetEnvironmentVariable("APPLIANCE_TEST_TMP") ?? "/var/tmp/appliance-tests";

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed half-way may leave a mount behind; the next run's temp root is separate anyway.
        }
    }
}
