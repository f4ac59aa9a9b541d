using Appliance.Core.Boot;

namespace Appliance.Tests.Support;

/// <summary>One row of <see cref="BootStateTable"/>: a boot state and a menu, and what the next boot does with them.</summary>
/// <param name="Before">The state in the grubenv (Empty when the block is missing or corrupt).</param>
/// <param name="Block">Whether the grubenv holds <paramref name="Before"/>, is missing, or is corrupt.</param>
/// <param name="Menu">The images grub.cfg lists (the images present), with the known-good ones marked.</param>
/// <param name="After">The state GRUB leaves; for a missing or corrupt block, the block is left as it was.</param>
public sealed record BootStateCase(BootState Before, GrubEnvironmentCondition Block, IReadOnlyList<BootImageEntry> Menu, int Version, BootMode Mode, BootState After)
{
    /// <summary>The grubenv GRUB finds on the host partition: the block for <see cref="Before"/>, none, or one with a damaged signature.</summary>
    public byte[]? GrubEnvironment()
    {
        if (Block == GrubEnvironmentCondition.Missing)
        {
            return null;
        }
        // A corrupt block still names a trial, so a GRUB that half-read it would show.
        var state = Block == GrubEnvironmentCondition.Corrupt ? new BootState(1, null, 2, 3, null) : Before;
        var block = GrubEnvironmentBlock.Render(state.ToEnvironment());
        if (Block == GrubEnvironmentCondition.Corrupt)
        {
            block.AsSpan(0, 8).Clear();
        }
        return block;
    }
}
