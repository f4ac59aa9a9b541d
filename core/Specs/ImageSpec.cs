namespace Appliance.Core.Specs;

/// <summary>
/// What an appliance image is made of. Loaded from the YAML spec by <see cref="ImageSpecParser"/>.
/// </summary>
/// <param name="Name">Short name of the product line; also seeds the image's fixed filesystem UUID.</param>
/// <param name="Suite">Debian suite passed to debootstrap, e.g. bookworm.</param>
/// <param name="Mirror">Debian mirror URL.</param>
/// <param name="Variant">debootstrap variant, e.g. minbase.</param>
/// <param name="Components">Archive components, e.g. main.</param>
/// <param name="Packages">Packages installed on top of the variant.</param>
/// <param name="AptSources">Repositories besides the main suite that packages are installed and upgraded from.</param>
/// <param name="LocalPackages">.deb files, or directories of them, installed from a repository made for the build (relative to the spec).</param>
/// <param name="Overlays">Directories copied over the tree, in order; relative paths are relative to the spec file.</param>
/// <param name="CarryOver">Absolute paths of configuration that an upgrade carries from the running image to the next.</param>
/// <param name="ImageSizeMiB">Size of the ext4 image file.</param>
/// <param name="Hostname">Default hostname written to /etc/hostname.</param>
public sealed record ImageSpec(
    string Name,
    string Suite,
    Uri Mirror,
    string Variant,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Packages,
    IReadOnlyList<AptSource> AptSources,
    IReadOnlyList<string> LocalPackages,
    IReadOnlyList<string> Overlays,
    IReadOnlyList<string> CarryOver,
    int ImageSizeMiB,
    string Hostname)
{
    /// <summary>
    /// The image's ext4 UUID and directory hash seed. Fixed per product line, so that two
    /// builds of the same inputs are bit-identical.
    /// </summary>
    public Guid FilesystemUuid => DeterministicGuid.FromName("appliance-image:" + Name);
}
