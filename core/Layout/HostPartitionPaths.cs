using System.Globalization;
using Appliance.Core.Fleet;
using Appliance.Core.Images;
using Appliance.Core.Repository;

namespace Appliance.Core.Layout;

/// <summary>
/// Where things are on the host partition, relative to its root: the image files GRUB loop-boots, the boot menu and
/// its state, and everything the updater keeps (it survives switching images). The initramfs reads the same facts
/// from the shell file <see cref="LayoutShellFile"/> renders.
/// </summary>
public static class HostPartitionPaths
{
    public const string Images = "images";

    public const string GrubDirectory = "boot/grub";

    public const string GrubConfig = GrubDirectory + "/grub.cfg";

    public const string GrubEnvironment = GrubDirectory + "/grubenv";

    public const string StateDirectory = "var/lib/appliance";

    public const string UpdaterState = StateDirectory + "/state.json";

    public const string BootHistory = StateDirectory + "/boot-history.jsonl";

    public const string Lock = StateDirectory + "/upgradectl.lock";

    /// <summary>Objects being downloaded (<c>&lt;sha256&gt;.partial</c>, resumable) or downloaded and not yet used.</summary>
    public const string Downloads = StateDirectory + "/downloads";

    public const string Trust = TrustLocations.TrustDirectoryOnHost;

    /// <summary>The fleet agent's configuration, device identity and state (core/Fleet/FleetLocations).</summary>
    public const string Fleet = FleetLocations.DirectoryOnHost;

    /// <summary>Per image version, the writable layers of the directories below: <c>overlays/&lt;N&gt;/&lt;dir&gt;/upper</c>.</summary>
    public const string Overlays = StateDirectory + "/overlays";

    /// <summary>An overlay's upper (the changes) and work directories, inside <c>overlays/&lt;N&gt;/&lt;dir&gt;</c>.</summary>
    public const string OverlayUpper = "upper";

    public const string OverlayWork = "work";

    /// <summary>The directories of an image that are writable (overlays); everything else is the read-only image.</summary>
    public static readonly IReadOnlyList<string> OverlaidDirectories = ["etc", "var", "root", "home", "srv"];

    /// <summary>Suffix of a file being written (a staged image, a download) that no reader takes for a finished one.</summary>
    public const string PartialSuffix = ".partial";

    public static string Image(int version) => Images + "/" + new ImageVersion(version).ImageFileName;

    public static string Manifest(int version) => Images + "/" + new ImageVersion(version).ManifestFileName;

    public static string Overlay(int version) => Overlays + "/" + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The writable layer (overlay upper directory) of one directory of an image, e.g. <c>etc</c>.</summary>
    public static string UpperLayer(int version, string directory) => $"{Overlay(version)}/{directory}/{OverlayUpper}";
}
