namespace Appliance.Tests.Support;

/// <summary>
/// The OpenZFS lane: root and the tools, plus a built lane VM in the cache (tests/Support/zfs-vm/build-zfs-vm, keyed
/// by kernel and zfs versions). Building the VM from nothing (zfs-dkms compiled in a chroot) measured 74 min on a
/// loaded 2-core machine, more than the whole suite's CI budget, so a run without the cache skips the lane with the
/// command that warms it, unless APPLIANCE_OPENZFS_LANE=build asks for the build inside the test.
/// </summary>
public sealed class OpenZfsLaneFactAttribute : FactAttribute
{
    public const string CacheVariable = "APPLIANCE_ZFS_CACHE";

    public OpenZfsLaneFactAttribute(params string[] tools)
    {
        var building = Environment.GetEnvironmentVariable("APPLIANCE_OPENZFS_LANE") == "build";
        Skip = RootFactAttribute.SkipReason(tools)
            ?? (building || HasBuiltVm() ? null
                : $"no OpenZFS lane VM in {CacheRoot}: warm it with 'nice tests/Support/zfs-vm/build-zfs-vm' or set APPLIANCE_OPENZFS_LANE=build");
        Timeout = (building ? 120 : RootFactAttribute.TimeoutMinutes) * 60_000;
    }

    private static string CacheRoot => Environment.GetEnvironmentVariable(CacheVariable) ?? "/var/cache/appliance-zfs";

    private static bool HasBuiltVm() =>
        Directory.Exists(CacheRoot) && Directory.EnumerateDirectories(CacheRoot).Any(vm => File.Exists(Path.Combine(vm, "versions")));
}
