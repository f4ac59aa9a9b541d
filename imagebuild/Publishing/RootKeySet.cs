using Appliance.Core.Repository;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// The offline root keys of a root version: those present to sign now (<see cref="Signers"/>, at least the
/// threshold) and those only named (<see cref="OtherKeys"/>, e.g. a third key kept in another safe), and how many
/// distinct signatures a new root needs.
/// </summary>
public sealed record RootKeySet(IReadOnlyList<ISigner> Signers, IReadOnlyList<RepositoryKey> OtherKeys, int Threshold)
{
    public IReadOnlyList<RepositoryKey> Keys => [.. Signers.Select(signer => signer.PublicKey).Concat(OtherKeys).DistinctBy(key => key.Id)];

    public RoleKeys Role => new([.. Keys.Select(key => key.Id)], Threshold);
}
