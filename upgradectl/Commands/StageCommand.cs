using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Download;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl stage &lt;image&gt; [--manifest M]</c> or <c>upgradectl stage --from URL [--version N]</c>: make a new
/// image present, verified, while the appliance works; from the repository by the smallest download (a delta from an
/// image present here, else the full image), resumed where an earlier attempt stopped.
/// </summary>
public static class StageCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var remote = new RemoteOptions();
        var source = new Argument<string?>("image") { Description = "The image file <N>.img to stage (or --from)", Arity = ArgumentArity.ZeroOrOne };
        var manifest = new Option<string?>("--manifest") { Description = "Its manifest (default: <N>.manifest.json next to the image)" };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Allow an image older than the confirmed default" };
        var reserve = new Option<long>("--reserve-mib")
        {
            Description = "Free space the host partition must keep after staging",
            DefaultValueFactory = _ => StageRequest.DefaultReserveBytes / (1024 * 1024),
        };
        var objectKind = new Option<string>("--object")
        {
            Description = "What to download with --from: auto (the smallest delta or the full image), or zfs (a ZFS send stream, applied in user space unless --zfs-dataset)",
            DefaultValueFactory = _ => "auto",
        };
        objectKind.AcceptOnlyFromAmong("auto", "zfs");
        var zfsDataset = new Option<string?>("--zfs-dataset")
        {
            Description = "The pool dataset holding the image zvol (e.g. pool/appliance-images): receive ZFS streams there, export the zvol",
        };
        var command = new Command("stage", "Copy or download and verify a new image onto the host partition") { source, manifest, allowDowngrade, reserve, objectKind, zfsDataset };
        options.AddTo(command);
        remote.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var (image, url) = (parse.GetValue(source), parse.GetValue(remote.From));
            if ((image is null) == (url is null))
            {
                throw new ApplianceException(ExitCode.InvalidInput, "stage needs either an image file or --from <repository URL>.");
            }
            var layout = options.Layout(parse);
            using var hostLock = await options.LockAsync(parse, cancellationToken);
            var request = new StageRequest(parse.GetValue(allowDowngrade), parse.GetValue(reserve) * 1024 * 1024);
            var stager = new ImageStager(layout, new UpdaterStateStore(layout));
            if (image is not null)
            {
                var path = Path.GetFullPath(image);
                var staged = ImageStager.ReadManifest(parse.GetValue(manifest) ?? Path.ChangeExtension(path, null) + ImageVersion.ManifestExtension);
                await stager.StageAsync(staged, request, new LocalImageSource(path), cancellationToken);
                await Console.Out.WriteLineAsync($"staged image {staged.Version} at {layout.ImagePath(staged.Version)}");
                return;
            }
            using var repository = remote.Connect(parse, url!);
            var release = await RemoteRelease.ResolveAsync(repository, layout, remote.ChannelOf(parse), parse.GetValue(remote.Version), cancellationToken);
            var dataset = parse.GetValue(zfsDataset);
            if (dataset is not null || parse.GetValue(objectKind) == "zfs")
            {
                var (zfsSource, choice) = await ZfsStaging.SourceAsync(repository, release.Release, layout, dataset, cancellationToken);
                await stager.StageAsync(release.Manifest, request, zfsSource, cancellationToken);
                await Console.Out.WriteLineAsync($"staged image {release.Manifest.Version} at {layout.ImagePath(release.Manifest.Version)}");
                await Console.Out.WriteLineAsync($"download: zfs {choice.Description}, object {choice.Object.Size} bytes, received {zfsSource.ReceivedBytes} bytes");
                return;
            }
            var download = new RepositoryImageSource(repository, release.Path, layout, Logging.Progress);
            await stager.StageAsync(release.Manifest, request, download, cancellationToken);
            await Console.Out.WriteLineAsync($"staged image {release.Manifest.Version} at {layout.ImagePath(release.Manifest.Version)}");
            await Console.Out.WriteLineAsync($"download: {release.Path.Kind} {release.Path.Description}, object {release.Path.Object.Size} bytes, received {download.ReceivedBytes} bytes");
        });
        return command;
    }
}
