using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Tests.Support;

/// <summary>
/// Expensive test inputs kept across runs under <c>/var/cache/appliance-test-fixtures/&lt;key&gt;</c> (or
/// <c>$APPLIANCE_TEST_FIXTURE_CACHE</c>), where the key hashes everything the fixture is made from: a warm run reuses
/// them, a change to any input builds afresh. A fixture becomes visible only complete (built aside, then renamed),
/// and one unused for <see cref="MaxIdle"/> is removed.
/// </summary>
public static class FixtureCache
{
    private static readonly TimeSpan MaxIdle = TimeSpan.FromDays(2);

    public static string Root => Environment.GetEnvironmentVariable("APPLIANCE_TEST_FIXTURE_CACHE") ?? "/var/cache/appliance-test-fixtures";

    /// <summary>A key over strings and the contents of files (order matters).</summary>
    public static async Task<string> KeyAsync(IEnumerable<string> values, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var value in values)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(value + "\n"));
        }
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            await using var stream = File.OpenRead(file);
            hash.AppendData(await SHA256.HashDataAsync(stream));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }

    /// <summary>The directory of the fixture <paramref name="name"/> for <paramref name="key"/>, built by <paramref name="build"/> into an empty directory unless it is cached already.</summary>
    public static async Task<string> GetOrBuildAsync(string name, string key, Func<string, Task> build, Action<string> log)
    {
        var directory = Path.Combine(Root, $"{name}-{key}");
        RemoveIdle(name, directory);
        if (Directory.Exists(directory))
        {
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow);
            log($"{name}: reusing {directory}");
            return directory;
        }
        var partial = Path.Combine(Root, $".{name}-{key}.partial-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(partial);
        try
        {
            await build(partial);
            Directory.Move(partial, directory);
            log($"{name}: built {directory}");
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            // Another run built the same inputs meanwhile: theirs is as good as ours.
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
        return directory;
    }

    private static void RemoveIdle(string name, string current)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }
        foreach (var other in Directory.EnumerateDirectories(Root, $"{name}-*"))
        {
            if (other != current && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(other) > MaxIdle)
            {
                Directory.Delete(other, recursive: true);
            }
        }
    }
}
