using Appliance.Core.Repository;

namespace Appliance.Tests.Support;

/// <summary>
/// A signed repository made with the published imagebuild, shared by the download tests: image 1 (a small real ext4
/// image) and image 2 (image 1 plus one file, layout preserved), each published, image 2 with a delta from 1. Tests
/// work on their own copy (<see cref="CopyRepositoryAsync"/>).
/// </summary>
public sealed class PublishedReleases : IAsyncLifetime
{
    private readonly TempDirectory directory = new();

    public string Repository => directory.File("repo");

    /// <summary>The online release key (PEM file) that signs channels, the timestamp and bundles.</summary>
    public string Key => directory.File("release.pem");

    /// <summary>The offline root key (PEM file).</summary>
    public string RootKey => directory.File("root.pem");

    public TestImage First { get; private set; } = null!;

    public TestImage Second { get; private set; } = null!;

    public ReleaseEntry SecondRelease { get; private set; } = null!;

    public DeltaObject Delta => SecondRelease.Deltas.Single();

    public async Task InitializeAsync()
    {
        var images = directory.File("images");
        Directory.CreateDirectory(images);
        First = await TestImage.CreateAsync(images, 1);
        Second = await TestImage.DeriveAsync(First, images, 2);
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "root"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repository, "--root-key", RootKey, "--release-key", Key));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repository, "--image", First.ImagePath, "--key", Key));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repository, "--image", Second.ImagePath, "--delta-from", First.ImagePath, "--key", Key));
        SecondRelease = RepositoryOnDisk.VerifyAsNewAppliance(Repository).Channel.Find(2)!;
    }

    public async Task<string> CopyRepositoryAsync(string destination)
    {
        await Platform.Processes.ProcessRunner.RunAsync("cp", ["-a", Repository, destination]);
        return destination;
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }
}
