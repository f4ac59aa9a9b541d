namespace Appliance.Core.Layout;

/// <summary>Where the appliance's own files are inside an image, relative to its root.</summary>
public static class ImagePaths
{
    /// <summary>Where the initramfs mounts the host partition inside the running image.</summary>
    public const string HostMountPoint = "host";

    public const string Upgradectl = "usr/local/sbin/upgradectl";

    /// <summary>The shell rendering of these facts (<see cref="LayoutShellFile"/>), also copied into the initramfs.</summary>
    public const string LayoutShellFile = "usr/lib/appliance/layout.sh";

    /// <summary>The new image's migration hooks, run after its configuration was carried over.</summary>
    public const string MigrationHooks = "usr/lib/appliance/migrate.d";

    public const string CarryOverList = "etc/appliance/carry-over.list";

    public const string HealthChecks = "etc/appliance/health.d";

    public const string HealthConfig = "etc/appliance/health.conf";
}
