using Appliance.Core.Boot;

namespace Appliance.Tests.Support;

/// <summary>What the model of grub.cfg boots and the state it leaves in the environment block.</summary>
public sealed record GrubBoot(int Version, BootMode Mode, BootState After);
