using System.Globalization;
using Appliance.Platform.Mounts;

namespace Appliance.Tests.Support;

/// <summary>
/// The host partition of a factory disk, mounted between two boots as <c>&lt;Root&gt;/host</c>, so upgradectl runs
/// against it with <c>--root</c> exactly as it does on the appliance, and tests can read what the guest wrote.
/// </summary>
public sealed class HostPartition : IAsyncDisposable
{
    // imagebuild's DiskLayout: the ESP is 64 MiB from sector 2048, the host partition follows.
    private const long HostOffset = (2048 + (64L * 1024 * 1024 / 512)) * 512;

    private HostPartition(string root) => Root = root;

    public string Root { get; }

    public string Host => Path.Combine(Root, "host");

    public string ImagePath(int version) => Path.Combine(Host, "images", $"{version}.img");

    public string GrubEnvironment => Path.Combine(Host, "boot/grub/grubenv");

    public static async Task<HostPartition> MountAsync(string disk, string workDirectory)
    {
        var root = Path.Combine(workDirectory, "root");
        await Mounter.MountAsync(disk, Path.Combine(root, "host"),
            ["-o", $"loop,offset={HostOffset.ToString(CultureInfo.InvariantCulture)}"], CancellationToken.None);
        return new HostPartition(root);
    }

    public async ValueTask DisposeAsync() => await Mounter.UnmountAsync(Host);
}
