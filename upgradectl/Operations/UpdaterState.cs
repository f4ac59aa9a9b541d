namespace Appliance.Upgradectl.Operations;

/// <summary>
/// What upgradectl remembers beyond the boot state in grubenv: images that were ever confirmed or failed, and the
/// last operation. Kept on the host partition so it survives switching images.
/// </summary>
public sealed record UpdaterState(IReadOnlyList<int> Confirmed, IReadOnlyList<int> Failed, Operation? LastOperation)
{
    public static UpdaterState Empty { get; } = new([], [], null);

    public UpdaterState WithConfirmed(int version) =>
        this with { Confirmed = Add(Confirmed, version), Failed = Failed.Where(v => v != version).ToList() };

    public UpdaterState WithFailed(int version) => this with { Failed = Add(Failed, version) };

    public UpdaterState WithoutImage(int version) =>
        this with { Confirmed = Confirmed.Where(v => v != version).ToList(), Failed = Failed.Where(v => v != version).ToList() };

    private static List<int> Add(IReadOnlyList<int> versions, int version) => versions.Append(version).Distinct().Order().ToList();
}
