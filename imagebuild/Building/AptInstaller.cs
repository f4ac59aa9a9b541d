using Appliance.Core.Manifests;
using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Installs the spec's packages into the debootstrapped tree with the chroot's own apt: the extra sources (and their
/// keyrings) stay in the image's /etc/apt, the local repository only while apt runs. Without pins the whole tree is
/// upgraded from all sources first, so the image carries the updates and security suites' fixes.
/// </summary>
public static class AptInstaller
{
    private const string ExtraSourcesFile = "etc/apt/sources.list.d/appliance.list";
    private const string LocalSourceFile = "etc/apt/sources.list.d/appliance-local.list";

    /// <returns>Where each installed package came from (see <see cref="PackageOriginParser"/>).</returns>
    public static async Task<IReadOnlyDictionary<string, string>> InstallAsync(
        AptInstallPlan plan, string root, string cacheDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        const string localUri = AptInstallPlan.LocalRepositoryUriInTree;
        foreach (var (source, index) in plan.Spec.AptSources.Select((s, i) => (s, i)).Where(s => s.s.Keyring is not null))
        {
            CopyInto(root, plan.KeyringOnHost(source)!, AptInstallPlan.KeyringInTree(index, source));
        }
        var extra = plan.ExtraSourcesInTree().Split('\n');
        var local = plan.LocalRepository is null ? [] : extra.Where(l => l.Contains(localUri, StringComparison.Ordinal)).ToList();
        await WriteLinesAsync(root, ExtraSourcesFile, extra.Except(local).Where(l => l.Length > 0), cancellationToken);
        await WriteLinesAsync(root, LocalSourceFile, local, cancellationToken);
        if (plan.LocalRepository is { } repository)
        {
            foreach (var file in Directory.GetFiles(repository))
            {
                CopyInto(root, file, $"{AptInstallPlan.LocalRepositoryInTree}/{Path.GetFileName(file)}");
            }
        }

        IReadOnlyDictionary<string, string> origins;
        await using (var chroot = await ChrootSession.OpenAsync(root, environment, cancellationToken))
        {
            // Downloads land in the build cache, so a rebuild fetches nothing again; the session unmounts it before the tree is normalized.
            Directory.CreateDirectory(cacheDirectory);
            // apt refuses at once when another build's apt holds the shared cache: builds take turns instead.
            using var cacheTurn = await PackageCacheLock.AcquireAsync(cacheDirectory, cancellationToken);
            await Mounter.MountAsync(Path.GetFullPath(cacheDirectory), Path.Combine(root, "var/cache/apt/archives"), ["--bind"], cancellationToken);
            await AptGetAsync(chroot, ["update"], AptFailure.FromUpdate, cancellationToken);
            if (plan.Pins is null)
            {
                await AptGetAsync(chroot, ["dist-upgrade", .. AptCommand.Install], AptFailure.FromInstall, cancellationToken);
                await AptGetAsync(chroot, ["install", .. AptCommand.Install, .. plan.InstallArguments()], AptFailure.FromInstall, cancellationToken);
            }
            else
            {
                await AptGetAsync(chroot, ["install", "--allow-downgrades", .. AptCommand.Install, .. plan.InstallArguments()], AptFailure.FromInstall, cancellationToken);
            }
            var installed = DpkgStatusParser.Parse(await File.ReadAllTextAsync(Path.Combine(root, "var/lib/dpkg/status"), cancellationToken));
            var policy = await chroot.RunAsync(["apt-cache", "policy", .. installed.Select(p => p.Name).Distinct()], cancellationToken);
            origins = PackageOriginParser.Parse(policy.StandardOutput, localUri);
        }
        File.Delete(Path.Combine(root, LocalSourceFile));
        var localInTree = Path.Combine(root, AptInstallPlan.LocalRepositoryInTree.TrimStart('/'));
        if (Directory.Exists(localInTree))
        {
            Directory.Delete(Path.GetDirectoryName(localInTree)!, recursive: true);
        }
        return origins;
    }

    private static async Task AptGetAsync(ChrootSession chroot, IReadOnlyList<string> arguments, Func<ExternalToolException, Exception> translate, CancellationToken cancellationToken)
    {
        try
        {
            await chroot.RunAsync(["apt-get", .. AptCommand.Common, .. arguments], cancellationToken);
        }
        catch (ExternalToolException e)
        {
            throw translate(e);
        }
    }

    private static void CopyInto(string root, string file, string pathInTree)
    {
        var target = Path.Combine(root, pathInTree.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }

    private static async Task WriteLinesAsync(string root, string pathInTree, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        var text = string.Concat(lines.Select(l => l + "\n"));
        if (text.Length > 0)
        {
            await File.WriteAllTextAsync(Path.Combine(root, pathInTree), text, cancellationToken);
        }
    }
}
