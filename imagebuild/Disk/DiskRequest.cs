using Appliance.Platform.Fleet;

namespace Appliance.ImageBuild.Disk;

/// <param name="Images">Image files placed in /images on the host partition.</param>
/// <param name="DefaultVersion">The confirmed default image; null: the newest.</param>
/// <param name="SizeBytes">Size of the whole disk file.</param>
/// <param name="KernelArguments">Extra kernel command line, e.g. console and panic settings.</param>
/// <param name="TrustRoot">A repository root document the appliance trusts from the factory on; null: only what its images carry.</param>
/// <param name="Fleet">The fleet the appliance enrols in at first boot (agent configuration and token on the host partition); null: none.</param>
public sealed record DiskRequest(
    IReadOnlyList<string> Images, string OutputFile, long SizeBytes, string KernelArguments, int? DefaultVersion, string? TrustRoot = null,
    FleetProvisioning? Fleet = null);
