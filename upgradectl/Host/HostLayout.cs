using Appliance.Core.Fleet;
using Appliance.Core.Layout;
using Appliance.Core.Repository;

namespace Appliance.Upgradectl.Host;

/// <summary>
/// Where things are, relative to a system root (<c>--root</c>, "/" on an appliance): the running image is the root,
/// the host partition is mounted at <c>/host</c> inside it, and everything the updater keeps lives on the host
/// partition, so it survives switching images. The relative paths are core/Layout's.
/// </summary>
public sealed record HostLayout(string Root)
{
    public string Host => Path.Combine(Root, ImagePaths.HostMountPoint);

    public string Images => OnHost(HostPartitionPaths.Images);

    public string GrubDirectory => OnHost(HostPartitionPaths.GrubDirectory);

    public string GrubEnvironment => OnHost(HostPartitionPaths.GrubEnvironment);

    public string GrubConfig => OnHost(HostPartitionPaths.GrubConfig);

    public string StateDirectory => OnHost(HostPartitionPaths.StateDirectory);

    public string BootHistory => OnHost(HostPartitionPaths.BootHistory);

    public string UpdaterState => OnHost(HostPartitionPaths.UpdaterState);

    public string Lock => OnHost(HostPartitionPaths.Lock);

    /// <summary>Held by check and stage for their whole run (network, rebuild, e2fsck), never by the health verdict.</summary>
    public string DownloadLock => Path.Combine(StateDirectory, "download.lock");

    /// <summary>Held only while state.json is read, changed and replaced, so commands running side by side lose no update.</summary>
    public string UpdaterStateLock => Path.Combine(StateDirectory, "state.lock");

    /// <summary>Objects being downloaded (<c>&lt;sha256&gt;.partial</c>, resumable) or downloaded and not yet used.</summary>
    public string Downloads => OnHost(HostPartitionPaths.Downloads);

    /// <summary>The newest repository root this appliance trusts, and the highest channel versions it has accepted.</summary>
    public string Trust => OnHost(HostPartitionPaths.Trust);

    public string TrustedRoot => Path.Combine(Trust, TrustLocations.RootFileName);

    public string SeenChannels => Path.Combine(Trust, "seen-channels.json");

    /// <summary>The highest timestamp version accepted (an older one is a rollback).</summary>
    public string SeenTimestamp => Path.Combine(Trust, "seen-timestamp.json");

    /// <summary>The running image's /etc/appliance-release: its version and product line.</summary>
    public string ApplianceRelease => Path.Combine(Root, Core.Manifests.ApplianceRelease.PathInImage);

    /// <summary>The root the running image was built to trust (imagebuild build --trust-root), if any.</summary>
    public string RootInImage => Path.Combine(Root, TrustLocations.RootInImage);

    /// <summary>Per image version, the writable layers (overlay upper directories) of /etc, /var, ... of that image.</summary>
    public string Overlays => OnHost(HostPartitionPaths.Overlays);

    public string OverlayOf(int version) => OnHost(HostPartitionPaths.Overlay(version));

    public string CarryOverList => Path.Combine(Root, ImagePaths.CarryOverList);

    public string HealthChecks => Path.Combine(Root, ImagePaths.HealthChecks);

    public string HealthConfig => Path.Combine(Root, ImagePaths.HealthConfig);

    /// <summary>The fleet agent's configuration, identity and state (<see cref="FleetLocations"/>).</summary>
    public string Fleet => OnHost(HostPartitionPaths.Fleet);

    public string FleetFile(string name) => Path.Combine(Fleet, name);

    public string ImagePath(int version) => OnHost(HostPartitionPaths.Image(version));

    public string ManifestPath(int version) => OnHost(HostPartitionPaths.Manifest(version));

    public string PartialPath(int version) => ImagePath(version) + HostPartitionPaths.PartialSuffix;

    public static HostLayout For(string root) => new(Path.GetFullPath(root));

    private string OnHost(string relative) => Path.Combine(Host, relative);
}
