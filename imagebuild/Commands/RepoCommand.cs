using System.CommandLine;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild repo init | rotate-key | sign</c>: the signed metadata of a release repository.</summary>
public static class RepoCommand
{
    public static Command Create() => new("repo", "Create and sign the release repository") { Init(), RotateKey(), Sign() };

    private static Command Init()
    {
        var (repository, channel, signer) = (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new SignerOptions());
        var (expires, rootExpires) = (RepositoryOptions.ChannelExpiresDays(), RepositoryOptions.RootExpiresDays());
        var command = new Command("init", "Create a repository: root version 1 and an empty channel, signed") { repository, channel, expires, rootExpires };
        signer.AddTo(command);
        CliApplication.SetAction(command, (parse, cancellationToken) =>
            Writer(parse, repository).InitAsync(signer.Create(parse), parse.GetValue(channel)!,
                TimeSpan.FromDays(parse.GetValue(rootExpires)), TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken));
        return command;
    }

    private static Command RotateKey()
    {
        var repository = RepositoryOptions.Repository();
        var (expires, rootExpires) = (RepositoryOptions.ChannelExpiresDays(), RepositoryOptions.RootExpiresDays());
        var (oldSigner, newSigner) = (new SignerOptions("old-"), new SignerOptions("new-"));
        var command = new Command("rotate-key", "Replace a signing key: a new root signed by the old key (one the current root trusts) and the new key, channels re-signed")
        {
            repository, expires, rootExpires,
        };
        oldSigner.AddTo(command);
        newSigner.AddTo(command);
        CliApplication.SetAction(command, (parse, cancellationToken) =>
            Writer(parse, repository).RotateKeyAsync(oldSigner.Create(parse), newSigner.Create(parse),
                TimeSpan.FromDays(parse.GetValue(rootExpires)), TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken));
        return command;
    }

    private static Command Sign()
    {
        var (repository, channel, signer, expires) =
            (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new SignerOptions(), RepositoryOptions.ChannelExpiresDays());
        var command = new Command("sign", "Re-sign a channel: version + 1, new expiry") { repository, channel, expires };
        signer.AddTo(command);
        CliApplication.SetAction(command, (parse, cancellationToken) =>
            Writer(parse, repository).SignChannelAsync(parse.GetValue(channel)!, signer.Create(parse), TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken));
        return command;
    }

    internal static RepositoryWriter Writer(ParseResult parse, Option<string> repository) => new(parse.GetValue(repository)!, TimeProvider.System);
}
