using Appliance.Core.Errors;
using Serilog;

namespace Appliance.Upgradectl.Operations;

/// <summary>
/// Records an operation's steps in the updater state before each step runs, so that after a kill `status` names the
/// step that was interrupted. Each step is also a fault-injection point.
/// </summary>
public sealed class OperationJournal
{
    private readonly UpdaterStateStore store;
    private readonly TimeProvider clock;
    private Operation operation;

    private OperationJournal(UpdaterStateStore store, TimeProvider clock, Operation operation)
    {
        this.store = store;
        this.clock = clock;
        this.operation = operation;
    }

    public static OperationJournal Begin(UpdaterStateStore store, TimeProvider clock, string kind, int? version)
    {
        var previous = store.Load().LastOperation;
        if (previous is { Result: null })
        {
            Log.Warning("The last {Kind} of {Version} was interrupted at step {Step}; starting over", previous.Kind, previous.Version, previous.Step);
        }
        var journal = new OperationJournal(store, clock, new Operation(kind, version, "starting", clock.GetUtcNow(), null, null, null));
        journal.Save();
        return journal;
    }

    public void Step(string step)
    {
        operation = operation with { Step = step };
        Save();
        Log.Debug("{Kind}: {Step}", operation.Kind, step);
        FaultPoints.Reach($"{operation.Kind}.{step}");
    }

    private void Succeed() => Finish(Operation.Succeeded, null);

    private void Fail(Exception error) => Finish(Operation.Failed, error.Message);

    /// <summary>Runs the operation's body, recording success, or failure with its reason, at the end.</summary>
    public async Task RunAsync(Func<OperationJournal, Task> body)
    {
        try
        {
            await body(this);
            Succeed();
        }
        catch (Exception e) when (e is ApplianceException or IOException or OperationCanceledException)
        {
            try
            {
                Fail(e);
            }
            catch (IOException recordError)
            {
                // A full disk may refuse the record too; the failure itself is what the caller must see.
                Log.Warning("Could not record that {Kind} failed: {Error}", operation.Kind, recordError.Message);
            }
            throw;
        }
    }

    private void Finish(string result, string? error)
    {
        operation = operation with { Finished = clock.GetUtcNow(), Result = result, Error = error };
        Save();
    }

    private void Save() => store.Update(state => state with { LastOperation = operation });
}
