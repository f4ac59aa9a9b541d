namespace Appliance.Core.Manifests;

/// <summary>One Debian package in an image, as dpkg reports it.</summary>
/// <param name="Origin">Where the build installed it from: the archive's suite (e.g. bookworm-security), or
/// <see cref="LocalOrigin"/> for the spec's local packages; null when the build could not tell (older manifests).</param>
public sealed record InstalledPackage(string Name, string Version, string Architecture, string? Origin = null)
{
    public const string LocalOrigin = "local";
}
