using System.Globalization;
using Appliance.Core.Layout;
using Appliance.Platform.Mounts;

namespace Appliance.Tests.Support;

/// <summary>
/// The host partition of a factory disk, mounted between two boots as <c>&lt;Root&gt;/host</c>, so upgradectl runs
/// against it with <c>--root</c> exactly as it does on the appliance, and tests can read what the guest wrote.
/// </summary>
public sealed class HostPartition : IAsyncDisposable
{
    private HostPartition(string root) => Root = root;

    public string Root { get; }

    public string Host => Path.Combine(Root, ImagePaths.HostMountPoint);

    public string ImagePath(int version) => Path.Combine(Host, HostPartitionPaths.Image(version));

    public string GrubEnvironment => Path.Combine(Host, HostPartitionPaths.GrubEnvironment);

    public static async Task<HostPartition> MountAsync(string disk, string workDirectory)
    {
        var root = Path.Combine(workDirectory, "root");
        await Mounter.MountAsync(disk, Path.Combine(root, ImagePaths.HostMountPoint),
            ["-o", $"loop,offset={DiskGeometry.HostOffsetBytes.ToString(CultureInfo.InvariantCulture)}"], CancellationToken.None);
        return new HostPartition(root);
    }

    public async ValueTask DisposeAsync() => await Mounter.UnmountAsync(Host);
}
