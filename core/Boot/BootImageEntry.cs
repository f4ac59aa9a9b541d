namespace Appliance.Core.Boot;

/// <summary>One image on the host partition as the boot menu lists it.</summary>
public sealed record BootImageEntry(int Version, bool KnownGood);
