using Appliance.Core.Repository;

namespace Appliance.Upgradectl.Host;

/// <summary>
/// Where things are, relative to a system root (<c>--root</c>, "/" on an appliance): the running image is the root,
/// the host partition is mounted at <c>/host</c> inside it, and everything the updater keeps lives on the host
/// partition, so it survives switching images.
/// </summary>
public sealed record HostLayout(string Root)
{
    public string Host => Path.Combine(Root, "host");

    public string Images => Path.Combine(Host, "images");

    public string GrubDirectory => Path.Combine(Host, "boot/grub");

    public string GrubEnvironment => Path.Combine(GrubDirectory, "grubenv");

    public string GrubConfig => Path.Combine(GrubDirectory, "grub.cfg");

    public string StateDirectory => Path.Combine(Host, "var/lib/appliance");

    public string BootHistory => Path.Combine(StateDirectory, "boot-history.jsonl");

    public string UpdaterState => Path.Combine(StateDirectory, "state.json");

    public string Lock => Path.Combine(StateDirectory, "upgradectl.lock");

    /// <summary>Held by check and stage for their whole run (network, rebuild, e2fsck), never by the health verdict.</summary>
    public string DownloadLock => Path.Combine(StateDirectory, "download.lock");

    /// <summary>Held only while state.json is read, changed and replaced, so commands running side by side lose no update.</summary>
    public string UpdaterStateLock => Path.Combine(StateDirectory, "state.lock");

    /// <summary>Objects being downloaded (<c>&lt;sha256&gt;.partial</c>, resumable) or downloaded and not yet used.</summary>
    public string Downloads => Path.Combine(StateDirectory, "downloads");

    /// <summary>The newest repository root this appliance trusts, and the highest channel versions it has accepted.</summary>
    public string Trust => Path.Combine(Host, TrustLocations.TrustDirectoryOnHost);

    public string TrustedRoot => Path.Combine(Trust, TrustLocations.RootFileName);

    public string SeenChannels => Path.Combine(Trust, "seen-channels.json");

    /// <summary>The root the running image was built to trust (imagebuild build --trust-root), if any.</summary>
    public string RootInImage => Path.Combine(Root, TrustLocations.RootInImage);

    /// <summary>Per image version, the writable layers (overlay upper directories) of /etc, /var, ... of that image.</summary>
    public string Overlays => Path.Combine(StateDirectory, "overlays");

    public string OverlayOf(int version) => Path.Combine(Overlays, version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string CarryOverList => Path.Combine(Root, "etc/appliance/carry-over.list");

    public string HealthChecks => Path.Combine(Root, "etc/appliance/health.d");

    public string HealthConfig => Path.Combine(Root, "etc/appliance/health.conf");

    public string ImagePath(int version) => Path.Combine(Images, $"{version}.img");

    public string ManifestPath(int version) => Path.Combine(Images, $"{version}.manifest.json");

    public string PartialPath(int version) => ImagePath(version) + ".partial";

    public static HostLayout For(string root) => new(Path.GetFullPath(root));
}
