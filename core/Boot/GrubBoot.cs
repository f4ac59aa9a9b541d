namespace Appliance.Core.Boot;

/// <summary>What GRUB boots and the state it leaves in the environment block.</summary>
public sealed record GrubBoot(int Version, BootMode Mode, BootState After);
