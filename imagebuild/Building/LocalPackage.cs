namespace Appliance.ImageBuild.Building;

/// <summary>A .deb named by the spec's local_packages, with the control fields dpkg-deb read from it.</summary>
public sealed record LocalPackage(string File, string Name, string Version, string Architecture);
