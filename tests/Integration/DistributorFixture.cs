using System.Security.Cryptography;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>A signed repository with a 64 MiB object and a small one, served by one distributor for all its tests.</summary>
public sealed class DistributorFixture : IAsyncLifetime
{
    public const int LargeObjectSize = 64 << 20;

    private readonly TempDirectory directory = new();
    private readonly InMemorySigner rootKey = new();
    private readonly InMemorySigner key = new();

    public RunningDistributor Distributor { get; private set; } = null!;

    public ObjectReference LargeObject { get; private set; } = null!;

    public ObjectReference SmallObject { get; private set; } = null!;

    public byte[] SmallObjectBytes { get; } = RandomNumberGenerator.GetBytes(100_000);

    public string RepositoryDirectory => directory.File("repo");

    public RootDocument Root => RepositoryOnDisk.FirstRoot(RepositoryDirectory);

    public async Task InitializeAsync()
    {
        var writer = new RepositoryWriter(RepositoryDirectory, TimeProvider.System);
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", TimeSpan.FromDays(365), TimeSpan.FromDays(30), CancellationToken.None);
        await File.WriteAllBytesAsync(directory.File("small"), SmallObjectBytes);
        SmallObject = await writer.AddObjectAsync(directory.File("small"), CancellationToken.None);
        await using (var large = File.Create(directory.File("large")))
        {
            var chunk = new byte[1 << 20];
            for (var i = 0; i < LargeObjectSize / chunk.Length; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                await large.WriteAsync(chunk);
            }
        }
        LargeObject = await writer.AddObjectAsync(directory.File("large"), CancellationToken.None);
        File.Delete(directory.File("large"));
        // Files that are in the directory but not in the layout, which must never be served.
        await File.WriteAllTextAsync(Path.Combine(RepositoryDirectory, "secret.pem"), "PRIVATE KEY IN THE WRONG PLACE");
        await File.WriteAllTextAsync(directory.File("outside.txt"), "OUTSIDE THE REPOSITORY");
        Distributor = await RunningDistributor.StartAsync(RepositoryDirectory, directory.File("certificate"));
    }

    public async Task DisposeAsync()
    {
        await Distributor.DisposeAsync();
        rootKey.Dispose();
        key.Dispose();
        directory.Dispose();
    }
}
