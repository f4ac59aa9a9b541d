using System.Text;
using Appliance.Core.Manifests;
using Appliance.Core.Specs;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// What apt installs into the tree and from where: the spec's main suite, its extra sources, the local repository
/// and, for a pinned build, the exact versions of an earlier manifest. Both the check before debootstrap and the
/// install in the chroot use it, so the two can never disagree.
/// </summary>
/// <param name="LocalRepository">The flat repository of the local packages on the host; null when the spec has none.</param>
/// <param name="Pins">Packages whose versions the build must install exactly; null: the newest the sources have.</param>
public sealed record AptInstallPlan(
    ImageSpec Spec,
    string SpecDirectory,
    string? LocalRepository,
    IReadOnlyList<LocalPackage> LocalPackages,
    IReadOnlyList<InstalledPackage>? Pins)
{
    /// <summary>Where the chroot sees the local repository while apt runs (removed before the tree becomes the image).</summary>
    public const string LocalRepositoryInTree = "/var/lib/appliance-build/local-debs";

    /// <summary>How apt names the local repository in the chroot (its sources line and apt-cache policy).</summary>
    public const string LocalRepositoryUriInTree = "file:" + LocalRepositoryInTree;

    public const string KeyringDirectoryInTree = "/etc/apt/keyrings";

    /// <summary>Sources that debootstrap does not know about: the extra suites and the local repository.</summary>
    /// <param name="localRepositoryPath">Where apt finds the local repository: its directory on the host or in the tree.</param>
    public string ExtraSources(Func<int, AptSource, string?> keyringPath, string localRepositoryPath)
    {
        var text = new StringBuilder();
        foreach (var (source, index) in Spec.AptSources.Select((s, i) => (s, i)))
        {
            var options = keyringPath(index, source) is { } keyring ? $"[signed-by={keyring}] " : "";
            foreach (var suite in source.Suites)
            {
                text.Append($"deb {options}{source.Uri} {suite}{(suite.EndsWith('/') ? "" : " " + string.Join(' ', source.Components))}\n");
            }
        }
        if (LocalRepository is not null)
        {
            text.Append($"deb [trusted=yes] file:{localRepositoryPath} ./\n");
        }
        return text.ToString();
    }

    /// <summary>The extra sources as the chroot's apt reads them: keyrings under /etc/apt/keyrings, the local repository in the tree.</summary>
    public string ExtraSourcesInTree() =>
        ExtraSources((index, source) => source.Keyring is null ? null : KeyringInTree(index, source), LocalRepositoryInTree);

    /// <summary>The suite debootstrap installs from; <paramref name="keyring"/> names its signer explicitly where apt's defaults are not Debian's.</summary>
    public string MainSource(string? keyring) =>
        $"deb {(keyring is null ? "" : $"[signed-by={keyring}] ")}{Spec.Mirror} {Spec.Suite} {string.Join(' ', Spec.Components)}\n";

    /// <summary>The spec's keyring file for a source, as a full path on the host.</summary>
    public string? KeyringOnHost(AptSource source) => source.Keyring is { } keyring ? Path.GetFullPath(keyring, SpecDirectory) : null;

    public static string KeyringInTree(int index, AptSource source) =>
        source.Keyring is { } keyring ? $"{KeyringDirectoryInTree}/{index}-{Path.GetFileName(keyring)}" : throw new InvalidOperationException("no keyring");

    /// <summary>apt-get install arguments: name=version for every pin, the names of the spec's and local packages otherwise.</summary>
    public IReadOnlyList<string> InstallArguments()
    {
        var names = Spec.Packages.Concat(LocalPackages.Select(p => p.Name)).Distinct(StringComparer.Ordinal);
        if (Pins is null)
        {
            return names.ToList();
        }
        var pinned = Pins.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return [.. Pins.Select(p => $"{p.Name}={p.Version}"), .. names.Where(n => !pinned.Contains(n))];
    }
}
