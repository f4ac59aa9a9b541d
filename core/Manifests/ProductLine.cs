using Appliance.Core.Errors;

namespace Appliance.Core.Manifests;

/// <summary>
/// The product line an image is built for (the spec's <c>name</c>; <c>spec_name</c> in the manifest,
/// <c>APPLIANCE_SPEC</c> in /etc/appliance-release, <c>compatible</c> in a bundle), like RAUC's <c>compatible</c> or
/// Mender's <c>device_type</c>: an appliance installs only images of its own line.
/// </summary>
public static class ProductLine
{
    public const string ReleaseKey = "APPLIANCE_SPEC";

    public static void RequireCompatible(string own, string offered, string what)
    {
        if (!string.Equals(own, offered, StringComparison.Ordinal))
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{what} is for the product line '{offered}', but this appliance is '{own}': refused (an image of another product line may not boot or may lose its configuration).");
        }
    }
}
