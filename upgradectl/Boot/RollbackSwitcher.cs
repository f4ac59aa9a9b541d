using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// Support staff's rollback: make an image that is still present the default right away. It boots with its own
/// writable layers, so its configuration is as it was when it last ran. A failed image needs --force.
/// </summary>
public sealed class RollbackSwitcher(HostLayout layout, UpdaterStateStore stateStore, string kernelArguments, TimeProvider clock)
{
    public async Task<BootState> RollbackAsync(int? requestedVersion, bool force)
    {
        var state = new BootStateStore(layout).Load();
        var target = requestedVersion ?? state.Previous
            ?? throw new ApplianceException(ExitCode.NotFound, "There is no previous good image to roll back to; name one with --to.");
        if (!ImageInventory.Versions(layout).Contains(target))
        {
            throw new ApplianceException(ExitCode.NotFound, $"Image {target} is not present on the host partition ({layout.ImagePath(target)}).");
        }
        if (stateStore.Load().Failed.Contains(target) && !force)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Image {target} failed before; pass --force to roll back to it anyway.");
        }
        var next = state;
        var journal = OperationJournal.Begin(stateStore, clock, "rollback", target);
        await journal.RunAsync(_ =>
        {
            journal.Step("switching");
            next = BootTransitions.Rollback(state, target);
            new NextBoot(layout, kernelArguments).Set(next);
            stateStore.Update(updater => updater.WithConfirmed(target));
            Log.Information("Image {Version} is the default from the next boot on; image {Previous} is the previous good image", target, next.Previous);
            return Task.CompletedTask;
        });
        return next;
    }
}
