using Appliance.Core.Boot;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// Changes what the next boot runs. grubenv is written first, as it alone decides the next boot; grub.cfg follows,
/// since only its fallback entry depends on the new state. A kill between the two leaves a consistent next boot.
/// </summary>
public sealed class NextBoot(HostLayout layout, string kernelArguments)
{
    /// <param name="journal">When given, each of the two writes is a step of its own (and a fault point).</param>
    public void Set(BootState next, OperationJournal? journal = null)
    {
        journal?.Step("boot-state");
        new BootStateStore(layout).Save(next);
        journal?.Step("menu");
        new GrubConfigWriter(layout, kernelArguments).Write(next);
    }
}
