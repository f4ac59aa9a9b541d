using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Upgradectl.Download;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Serilog;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// Records the verdict on the running boot: good (a trial becomes the default) or bad (a trial is dropped so the next
/// boot returns to the default), through <see cref="NextBoot"/>.
/// </summary>
public sealed class BootConfirmation(HostLayout layout, string kernelArguments, TimeProvider clock)
{
    private readonly BootStateStore store = new(layout);
    private readonly UpdaterStateStore updaterStore = new(layout);
    private readonly BootHistory history = new(layout);

    public async Task<BootState> MarkGoodAsync(BootedImage booted, string detail)
    {
        var state = store.Load();
        // A fallback boot (grubenv lost, or its default image gone) that is healthy becomes the default: this is
        // also how a lost grubenv is rebuilt.
        var next = booted.Mode == BootMode.Fallback || state.Default is null
            ? BootTransitions.Rollback(state, booted.Version)
            : BootTransitions.Confirm(state, booted.Version);
        await RecordAsync("mark-good", booted, state, next, updater => updater.WithConfirmed(booted.Version));
        AdoptRootInImage();
        var outcome = booted.Mode == BootMode.Default ? "healthy" : "confirmed";
        history.Append(new BootRecord(clock.GetUtcNow(), booted.Version, GrubConfigRenderer.Mode(booted.Mode), outcome, detail));
        Log.Information("{Booted} is good; default image {Default}, previous good image {Previous}", booted, next.Default, next.Previous);
        return next;
    }

    /// <summary>Returns true when the next boot goes to another image (the booted one was a trial).</summary>
    public async Task<bool> MarkBadAsync(BootedImage booted, string detail)
    {
        var state = store.Load();
        var next = BootTransitions.Reject(state, booted.Version);
        var returns = next != state;
        await RecordAsync("mark-bad", booted, state, next, updater => returns ? updater.WithFailed(booted.Version) : updater);
        history.Append(new BootRecord(clock.GetUtcNow(), booted.Version, GrubConfigRenderer.Mode(booted.Mode), returns ? "rejected" : "unhealthy", detail));
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

    /// <summary>A good image's newer trust root is kept on the host, so a later rollback to an older image keeps trusting it.</summary>
    private void AdoptRootInImage()
    {
        try
        {
            if (new TrustStore(layout).AdoptRootInImage() is { } root)
            {
                Log.Information("Root version {Version} of the running image is now trusted on the host partition", root.Version);
            }
        }
        catch (ApplianceException e)
        {
            // The verdict on the boot stands; the next check reads the image's root again and names the problem.
            Log.Warning("The running image's trust root was not copied to the host: {Error}", e.Message);
        }
    }

    private Task RecordAsync(string kind, BootedImage booted, BootState before, BootState after, Func<UpdaterState, UpdaterState> change)
    {
        var journal = OperationJournal.Begin(updaterStore, clock, kind, booted.Version);
        return journal.RunAsync(_ =>
        {
            if (after != before)
            {
                new NextBoot(layout, kernelArguments).Set(after, journal);
            }
            journal.Step("record");
            // A trial GRUB gave up on (its tries ran out) is remembered as failed, beyond grubenv's single slot.
            updaterStore.Update(updater => change(before.TrialFailed is { } failed ? updater.WithFailed(failed) : updater));
            return Task.CompletedTask;
        });
    }
}
