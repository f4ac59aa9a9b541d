namespace Appliance.Core.Manifests;

/// <summary>One Debian package in an image, as dpkg reports it.</summary>
public sealed record InstalledPackage(string Name, string Version, string Architecture);
