using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Before debootstrap spends minutes: the host's apt, with its own empty state and only the spec's sources, downloads
/// every index (unreachable and unsigned sources fail here) and simulates the install against an empty system
/// (unknown packages, unmet dependencies and pinned versions that are gone fail here).
/// </summary>
public static class AptPreflight
{
    /// <summary>Who signs the main suite and sources without a keyring of their own, as in the chroot (debian-archive-keyring).</summary>
    private const string DefaultKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    public static async Task CheckAsync(AptInstallPlan plan, string directory, CancellationToken cancellationToken)
    {
        foreach (var sub in (string[])["lists/partial", "cache/archives/partial", "etc/apt.conf.d", "etc/preferences.d", "etc/sources.list.d"])
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }
        var sourcesList = Path.Combine(directory, "etc/sources.list");
        await File.WriteAllTextAsync(sourcesList,
            plan.MainSource(DefaultKeyring) + plan.ExtraSources((_, source) => plan.KeyringOnHost(source) ?? DefaultKeyring, plan.LocalRepository ?? ""),
            cancellationToken);
        var status = Path.Combine(directory, "status");
        await File.WriteAllTextAsync(status, "", cancellationToken);
        List<string> isolated =
        [
            .. AptCommand.Common,
            "-o", $"Dir::State={directory}",
            "-o", $"Dir::State::Lists={directory}/lists",
            "-o", $"Dir::State::status={status}",
            "-o", $"Dir::Cache={directory}/cache",
            "-o", $"Dir::Etc::SourceList={sourcesList}",
            "-o", $"Dir::Etc::SourceParts={directory}/etc/sources.list.d",
            "-o", $"Dir::Etc::Parts={directory}/etc/apt.conf.d",
            "-o", $"Dir::Etc::Preferences={directory}/etc/preferences",
            "-o", $"Dir::Etc::PreferencesParts={directory}/etc/preferences.d",
        ];
        try
        {
            await ProcessRunner.RunAsync("apt-get", [.. isolated, "update"], cancellationToken: cancellationToken);
        }
        catch (ExternalToolException e)
        {
            throw AptFailure.FromUpdate(e);
        }
        try
        {
            await ProcessRunner.RunAsync("apt-get", [.. isolated, "install", "--simulate", .. AptCommand.Install, .. plan.InstallArguments()], cancellationToken: cancellationToken);
        }
        catch (ExternalToolException e)
        {
            throw AptFailure.FromInstall(e);
        }
    }
}
