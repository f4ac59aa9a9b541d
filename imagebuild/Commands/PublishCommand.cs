using System.CommandLine;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild publish --repo dir --image N.img [--delta-from M.img ...] [--recent-deltas K]</c>: the full image
/// (zstd), its manifest, a delta from each given earlier image and from the K newest earlier versions of the channel
/// into the channel, signed. Bases CI still has are given with --delta-from (no unpacking); the others are unpacked
/// from the repository. --zfs-streams adds ZFS send streams from the same bases; --zfs-streams-only publishes them
/// instead of the full object and the deltas.
/// </summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var (repository, channel, signer, expires, timestampHours) =
            (RepositoryOptions.Repository(), RepositoryOptions.Channel(), new SignerOptions(), RepositoryOptions.ChannelExpiresDays(), RepositoryOptions.TimestampExpiresHours());
        var image = new Option<string>("--image") { Required = true, Description = "Image file <N>.img; <N>.manifest.json must be beside it" };
        var deltaFrom = new Option<string[]>("--delta-from")
        {
            Description = "An earlier image <M>.img (manifest beside it) to make a delta from (repeatable)",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var recentDeltas = new Option<int>("--recent-deltas")
        {
            Description = "Also make deltas from the K newest earlier versions in the channel, unpacked from the repository (0: only --delta-from)",
            DefaultValueFactory = _ => 3,
        };
        recentDeltas.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--recent-deltas must be 0 or more.");
            }
        });
        var zfsStreams = new Option<bool>("--zfs-streams")
        {
            Description = "Also publish ZFS send streams of a zvol holding the image: a full one and an incremental from each delta base (docs/zfs-streams.md)",
        };
        var zfsStreamsOnly = new Option<bool>("--zfs-streams-only")
        {
            Description = "Publish the image as ZFS send streams only (full and incrementals from the same bases): no full object, no deltas",
        };
        var fullLevel = new Option<int>("--full-level")
        {
            Description = $"zstd level of the full object (1-{FullImageCompressor.MaxLevel}); lower publishes faster and larger (docs/publish-speed.md)",
            DefaultValueFactory = _ => FullImageCompressor.DefaultLevel,
        };
        fullLevel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > FullImageCompressor.MaxLevel)
            {
                result.AddError($"--full-level must be between 1 and {FullImageCompressor.MaxLevel}.");
            }
        });
        var command = new Command("publish", "Add an image and its deltas to a channel of the repository")
        {
            repository, image, deltaFrom, recentDeltas, channel, expires, timestampHours, zfsStreams, zfsStreamsOnly, fullLevel,
        };
        signer.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var publisher = new ImagePublisher(RepoCommand.Writer(parse, repository, timestampHours), Logging.Progress, parse.GetValue(fullLevel));
            var release = await publisher.PublishAsync(parse.GetValue(image)!, parse.GetValue(deltaFrom)!, parse.GetValue(recentDeltas), parse.GetValue(channel)!, signer.Create(parse),
                TimeSpan.FromDays(parse.GetValue(expires)), cancellationToken, parse.GetValue(zfsStreams), parse.GetValue(zfsStreamsOnly));
            if (release.Full is { } full)
            {
                await Console.Out.WriteLineAsync($"{release.ImageVersion} full {full.Sha256} {full.Size}");
            }
            foreach (var delta in release.Deltas)
            {
                await Console.Out.WriteLineAsync($"{release.ImageVersion} delta-from-{delta.FromVersion} {delta.Sha256} {delta.Size}");
            }
            if (release.ZfsFull is { } zfsFull)
            {
                await Console.Out.WriteLineAsync($"{release.ImageVersion} zfs-full {zfsFull.Sha256} {zfsFull.Size}");
            }
            foreach (var stream in release.ZfsIncrementals ?? [])
            {
                await Console.Out.WriteLineAsync($"{release.ImageVersion} zfs-from-{stream.FromVersion} {stream.Sha256} {stream.Size}");
            }
        });
        return command;
    }
}
