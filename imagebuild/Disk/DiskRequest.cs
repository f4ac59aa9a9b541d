namespace Appliance.ImageBuild.Disk;

/// <param name="Images">Image files placed in /images on the host partition.</param>
/// <param name="DefaultVersion">The confirmed default image; null: the newest.</param>
/// <param name="SizeBytes">Size of the whole disk file.</param>
/// <param name="KernelArguments">Extra kernel command line, e.g. console and panic settings.</param>
/// <param name="TrustRoot">A repository root document the appliance trusts from the factory on; null: only what its images carry.</param>
public sealed record DiskRequest(IReadOnlyList<string> Images, string OutputFile, long SizeBytes, string KernelArguments, int? DefaultVersion, string? TrustRoot = null);
