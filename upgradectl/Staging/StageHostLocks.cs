namespace Appliance.Upgradectl.Staging;

/// <summary>
/// The two moments a stage takes the host lock. Before any work it waits only as long as the operator said
/// (<c>--wait</c>; by default it fails at once, like every other command); to publish, after a download, a rebuild
/// and an e2fsck that would otherwise be wasted, it waits longer for a short holder such as the health verdict.
/// </summary>
public sealed record StageHostLocks(Func<Task<IDisposable>> ForChecks, Func<Task<IDisposable>> ForPublish);
