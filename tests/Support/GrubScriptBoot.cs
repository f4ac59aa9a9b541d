using Appliance.Core.Boot;

namespace Appliance.Tests.Support;

/// <summary>What one boot through the real grub.cfg chose, and the boot state GRUB left behind.</summary>
/// <param name="After">The grubenv after the boot; null when there is none or GRUB could not read it.</param>
/// <param name="Screen">What GRUB printed, for messages.</param>
public sealed record GrubScriptBoot(int Version, BootMode Mode, string KernelCommandLine, BootState? After, string Screen);
