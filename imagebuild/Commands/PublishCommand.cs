using System.CommandLine;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild publish --repo dir --image N.img [--delta-from M.img ...]</c>: the full image (zstd), its manifest and
/// a delta from each given earlier image into a channel, signed. Deltas are only made from images named explicitly:
/// CI knows which versions its fleet runs, and the bytes of each base must be at hand anyway.
/// </summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var (repository, channel, signer, expires) =
            (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new SignerOptions(), RepositoryOptions.ChannelExpiresDays());
        var image = new Option<string>("--image") { Required = true, Description = "Image file <N>.img; <N>.manifest.json must be beside it" };
        var deltaFrom = new Option<string[]>("--delta-from")
        {
            Description = "An earlier image <M>.img (manifest beside it) to make a delta from (repeatable)",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var command = new Command("publish", "Add an image and its deltas to a channel of the repository") { repository, image, deltaFrom, channel, expires };
        signer.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var publisher = new ImagePublisher(RepoCommand.Writer(parse, repository), Logging.Progress);
            var release = await publisher.PublishAsync(parse.GetValue(image)!, parse.GetValue(deltaFrom)!, parse.GetValue(channel)!, signer.Create(parse),
                TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken);
            await Console.Out.WriteLineAsync($"{release.ImageVersion} full {release.Full.Sha256} {release.Full.Size}");
            foreach (var delta in release.Deltas)
            {
                await Console.Out.WriteLineAsync($"{release.ImageVersion} delta-from-{delta.FromVersion} {delta.Sha256} {delta.Size}");
            }
        });
        return command;
    }
}
