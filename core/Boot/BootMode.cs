namespace Appliance.Core.Boot;

/// <summary>How GRUB chose the image it booted; passed to the kernel as <c>appliance.boot=</c>.</summary>
public enum BootMode
{
    /// <summary>The confirmed default image.</summary>
    Default,

    /// <summary>A trial image, one of its counted tries.</summary>
    Trial,

    /// <summary>Neither: the environment block was missing or named a missing image; the newest known-good image booted.</summary>
    Fallback,
}
