using Appliance.Core.Boot;
using Appliance.Upgradectl.Host;
using Serilog;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// Records the verdict on the running boot: good (a trial becomes the default) or bad (a trial is dropped so the next
/// boot returns to the default). grubenv is written first, as it alone decides the next boot; grub.cfg follows,
/// since only its fallback entry depends on the new state.
/// </summary>
public sealed class BootConfirmation(HostLayout layout, string kernelArguments)
{
    private readonly BootStateStore store = new(layout);
    private readonly BootHistory history = new(layout);

    public BootState MarkGood(BootedImage booted, string detail)
    {
        var state = store.Load();
        // A fallback boot (grubenv lost, or its default image gone) that is healthy becomes the default: this is
        // also how a lost grubenv is rebuilt.
        var next = booted.Mode == BootMode.Fallback || state.Default is null
            ? BootTransitions.Rollback(state, booted.Version)
            : BootTransitions.Confirm(state, booted.Version);
        Save(state, next);
        var outcome = booted.Mode == BootMode.Default ? "healthy" : "confirmed";
        history.Append(new BootRecord(DateTimeOffset.UtcNow, booted.Version, GrubConfigRenderer.Mode(booted.Mode), outcome, detail));
        Log.Information("{Booted} is good; default image {Default}, previous good image {Previous}", booted, next.Default, next.Previous);
        return next;
    }

    /// <summary>Returns true when the next boot goes to another image (the booted one was a trial).</summary>
    public bool MarkBad(BootedImage booted, string detail)
    {
        var state = store.Load();
        var next = BootTransitions.Reject(state, booted.Version);
        Save(state, next);
        var returns = next != state;
        history.Append(new BootRecord(DateTimeOffset.UtcNow, booted.Version, GrubConfigRenderer.Mode(booted.Mode), returns ? "rejected" : "unhealthy", detail));
        if (returns)
        {
            Log.Warning("{Booted} is bad: the next boot returns to image {Default}", booted, next.Default);
        }
        else
        {
            Log.Error("{Booted} is bad, but it is not on trial: the boot state is left as it is ({Detail})", booted, detail);
        }
        return returns;
    }

    private void Save(BootState before, BootState after)
    {
        if (after == before)
        {
            return;
        }
        store.Save(after);
        new GrubConfigWriter(layout, kernelArguments).Write(after);
    }
}
