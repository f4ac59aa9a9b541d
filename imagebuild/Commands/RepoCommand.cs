using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild repo init | rotate-root | sign | timestamp</c>: the signed metadata of a release repository. The
/// offline root keys are needed only by init and rotate-root; sign and timestamp use the online release key.
/// </summary>
public static class RepoCommand
{
    public static Command Create() => new("repo", "Create and sign the release repository") { Init(), RotateRoot(), Sign(), Timestamp() };

    private static Command Init()
    {
        var (repository, channel, rootKeys, release) = (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new RootSignerOptions(), new SignerOptions("release-"));
        var (expires, rootExpires, timestampHours) = (RepositoryOptions.ChannelExpiresDays(), RepositoryOptions.RootExpiresDays(), RepositoryOptions.TimestampExpiresHours());
        var threshold = RepositoryOptions.RootThreshold("Distinct root key signatures a new root needs (default 1)");
        var command = new Command("init", "Create a repository: root version 1 (offline root keys, the online release key), an empty channel and a timestamp, signed")
        {
            repository, channel, threshold, expires, rootExpires, timestampHours,
        };
        rootKeys.AddKeySetTo(command);
        release.AddTo(command);
        CliApplication.SetAction(command, (parse, cancellationToken) =>
        {
            var keySet = rootKeys.KeySet(parse, parse.GetValue(threshold) ?? 1)
                ?? throw new ApplianceException(ExitCode.Usage, "init needs the offline root key(s): --root-key <pem> (repeatable) or --root-sign-command <command> --root-sign-public-key <pem>.");
            return Writer(parse, repository, timestampHours).InitAsync(keySet, release.Create(parse), parse.GetValue(channel)!,
                TimeSpan.FromDays(parse.GetValue(rootExpires)), TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken);
        });
        return command;
    }

    private static Command RotateRoot()
    {
        var (repository, rootKeys, newRootKeys, newRelease) = (RepositoryOptions.Repository(), new RootSignerOptions(), new RootSignerOptions("new-"), new SignerOptions("release-"));
        var (expires, rootExpires, timestampHours) = (RepositoryOptions.ChannelExpiresDays(), RepositoryOptions.RootExpiresDays(), RepositoryOptions.TimestampExpiresHours());
        var threshold = RepositoryOptions.RootThreshold("Distinct root key signatures the new root needs (default: as now)");
        var command = new Command("rotate-root",
            "The next root version, signed by the current root keys: renews its expiry, replaces root keys or the threshold (--new-root-*, --root-threshold), or the release key (--release-*; channels and the timestamp are re-signed with it)")
        {
            repository, threshold, expires, rootExpires, timestampHours,
        };
        rootKeys.AddSignersTo(command);
        newRootKeys.AddKeySetTo(command);
        newRelease.AddTo(command);
        CliApplication.SetAction(command, (parse, cancellationToken) =>
        {
            var writer = Writer(parse, repository, timestampHours);
            var signers = rootKeys.Signers(parse);
            if (signers.Count == 0)
            {
                throw new ApplianceException(ExitCode.Usage, "rotate-root needs the current root key(s): --root-key <pem> or --root-sign-command <command> --root-sign-public-key <pem>.");
            }
            var newThreshold = parse.GetValue(threshold);
            var keySet = newRootKeys.KeySet(parse, newThreshold ?? writer.LoadRoot().Roles.Root.Threshold);
            if (keySet is null && newThreshold is { } changed)
            {
                // Same keys, another threshold.
                var current = writer.LoadRoot();
                keySet = new RootKeySet([], [.. current.Roles.Root.KeyIds.Select(id => current.FindKey(id)!)], changed);
            }
            return writer.RotateRootAsync(signers, keySet, newRelease.CreateIfGiven(parse),
                TimeSpan.FromDays(parse.GetValue(rootExpires)), TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken);
        });
        return command;
    }

    private static Command Sign()
    {
        var (repository, channel, signer, expires, timestampHours) =
            (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new SignerOptions(), RepositoryOptions.ChannelExpiresDays(), RepositoryOptions.TimestampExpiresHours());
        var command = new Command("sign", "Re-sign a channel with the release key: version + 1, new expiry (and a new timestamp)") { repository, channel, expires, timestampHours };
        signer.AddTo(command);
        CliApplication.SetAction(command, (parse, cancellationToken) =>
            Writer(parse, repository, timestampHours).SignChannelAsync(parse.GetValue(channel)!, signer.Create(parse), TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken));
        return command;
    }

    private static Command Timestamp()
    {
        var (repository, signer, timestampHours) = (RepositoryOptions.Repository(), new SignerOptions(), RepositoryOptions.TimestampExpiresHours());
        var command = new Command("timestamp", "Re-sign timestamp.json with the release key (run every few hours): names every channel's current edition, short expiry")
        {
            repository, timestampHours,
        };
        signer.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var timestamp = await Writer(parse, repository, timestampHours).SignTimestampAsync(signer.Create(parse), cancellationToken);
            await Console.Out.WriteLineAsync($"timestamp version {timestamp.Version}, expires {timestamp.Expires:u}");
        });
        return command;
    }

    internal static RepositoryWriter Writer(ParseResult parse, Option<string> repository, Option<int> timestampHours) =>
        new(parse.GetValue(repository)!, TimeProvider.System, TimeSpan.FromHours(parse.GetValue(timestampHours)));
}
