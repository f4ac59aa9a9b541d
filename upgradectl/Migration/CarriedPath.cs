using Appliance.Core.Errors;
using Appliance.Core.Layout;

namespace Appliance.Upgradectl.Migration;

/// <summary>
/// A configuration path the next image takes over (from its manifest's carry-over list). Only paths inside the
/// writable layers can be carried, since those are what an image keeps on the host partition.
/// </summary>
/// <param name="Layer">The writable top-level directory: etc, var, root, home or srv.</param>
/// <param name="PathInLayer">The rest of the path below it; never empty, never with "..".</param>
public sealed record CarriedPath(string Layer, string PathInLayer)
{
    public static IReadOnlyList<string> WritableLayers => HostPartitionPaths.OverlaidDirectories;

    public string Absolute => $"/{Layer}/{PathInLayer}";

    public static CarriedPath Parse(string path)
    {
        var parts = path.Split('/');
        if (!path.StartsWith('/') || parts.Skip(1).Any(part => part is "" or "." or ".."))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"The carried path '{path}' must be absolute and plain (no '..', '.', or '//').");
        }
        if (parts.Length < 3 || !WritableLayers.Contains(parts[1]))
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"The carried path '{path}' is not inside a writable layer (/{string.Join(", /", WritableLayers)}), so no image keeps it.");
        }
        return new CarriedPath(parts[1], string.Join('/', parts.Skip(2)));
    }
}
