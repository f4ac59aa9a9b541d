namespace Appliance.Tests.Support;

/// <summary>What GRUB finds at boot/grub/grubenv.</summary>
public enum GrubEnvironmentCondition
{
    Written,
    Missing,
    Corrupt,
}
