using System.CommandLine;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild publish --repo dir --image N.img</c>: the full image (zstd) and its manifest into a channel, signed.</summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var (repository, channel, signer, expires) =
            (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new SignerOptions(), RepositoryOptions.ChannelExpiresDays());
        var image = new Option<string>("--image") { Required = true, Description = "Image file <N>.img; <N>.manifest.json must be beside it" };
        var command = new Command("publish", "Add an image to a channel of the repository") { repository, image, channel, expires };
        signer.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var publisher = new ImagePublisher(RepoCommand.Writer(parse, repository), Logging.Progress);
            var release = await publisher.PublishAsync(parse.GetValue(image)!, parse.GetValue(channel)!, signer.Create(parse),
                TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken);
            await Console.Out.WriteLineAsync($"{release.ImageVersion} {release.Full.Sha256}");
        });
        return command;
    }
}
