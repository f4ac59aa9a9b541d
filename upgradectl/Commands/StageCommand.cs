using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Download;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl stage &lt;N.bundle&gt;</c> (signed by the release key, from a USB stick or a laptop),
/// <c>upgradectl stage &lt;image&gt; [--manifest M] --insecure-unsigned</c> or <c>upgradectl stage --from URL [--version N]</c>: make a new
/// image present, verified, while the appliance works; from the repository by the smallest download (a delta from an
/// image present here, else the full image), resumed where an earlier attempt stopped.
/// </summary>
public static class StageCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var remote = new RemoteOptions();
        var source = new Argument<string?>("bundle") { Description = "The signed bundle <N>.bundle to stage (imagebuild bundle), or with --insecure-unsigned an image file <N>.img; or --from", Arity = ArgumentArity.ZeroOrOne };
        var manifest = new Option<string?>("--manifest") { Description = "With --insecure-unsigned: the image's manifest (default: <N>.manifest.json next to it)" };
        var insecureUnsigned = new Option<bool>("--insecure-unsigned")
        {
            Description = "Stage an image file that no release key signed, trusting its manifest as it is (development only)",
        };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Allow an image older than the confirmed default" };
        var reserve = new Option<long>("--reserve-mib")
        {
            Description = "Free space the host partition must keep after staging",
            DefaultValueFactory = _ => StageRequest.DefaultReserveBytes / (1024 * 1024),
        };
        var full = new Option<bool>("--full") { Description = "With --from: download the full image, not a delta" };
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
        var command = new Command("stage", "Copy or download and verify a new image onto the host partition") { source, manifest, insecureUnsigned, allowDowngrade, reserve, full, objectKind, zfsDataset };
        options.AddTo(command);
        remote.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var (image, url) = (parse.GetValue(source), parse.GetValue(remote.From));
            if ((image is null) == (url is null))
            {
                throw new ApplianceException(ExitCode.InvalidInput, "stage needs either a bundle (or an image file with --insecure-unsigned) or --from <repository URL>.");
            }
            var layout = options.Layout(parse);
            using var downloadLock = await options.DownloadLockAsync(parse, cancellationToken);
            var request = new StageRequest(parse.GetValue(allowDowngrade), parse.GetValue(reserve) * 1024 * 1024);
            var stager = new ImageStager(layout, new UpdaterStateStore(layout), options.Clock, options.StageHostLocks(parse, cancellationToken));
            var productLine = InstalledProductLine.Read(layout, options.BootedIfAny(parse));
            if (image is not null)
            {
                var (staged, file) = LocalInstall(layout, Path.GetFullPath(image), parse.GetValue(manifest), parse.GetValue(insecureUnsigned), productLine);
                await stager.StageAsync(staged, request, new LocalImageSource(file), cancellationToken);
                await Console.Out.WriteLineAsync($"staged image {staged.Version} at {layout.ImagePath(staged.Version)}");
                return;
            }
            using var repository = remote.Connect(parse, url!);
            var release = await RemoteRelease.ResolveAsync(repository, layout, remote.ChannelOf(parse), parse.GetValue(remote.Version), options.Clock, cancellationToken);
            ProductLine.RequireCompatible(productLine, release.Manifest.SpecName, $"Image {release.Manifest.Version} of the repository");
            var dataset = parse.GetValue(zfsDataset);
            // A release published as ZFS streams only is applied from them (--full then says it has no full image).
            if (dataset is not null || parse.GetValue(objectKind) == "zfs" || (release.Download is null && !parse.GetValue(full)))
            {
                var (zfsSource, choice) = await ZfsStaging.SourceAsync(repository, release.Release, layout, dataset, cancellationToken);
                await stager.StageAsync(release.Manifest, request, zfsSource, cancellationToken);
                await Console.Out.WriteLineAsync($"staged image {release.Manifest.Version} at {layout.ImagePath(release.Manifest.Version)}");
                await Console.Out.WriteLineAsync($"download: zfs {choice.Description}, object {choice.Object.Size} bytes, received {zfsSource.ReceivedBytes} bytes");
                return;
            }
            var way = parse.GetValue(full) ? DownloadChoice.Full(release.Release) : release.Download!;
            var download = new RepositoryImageSource(repository, way, layout, Logging.Progress);
            await stager.StageAsync(release.Manifest, request, download, cancellationToken);
            await Console.Out.WriteLineAsync($"staged image {release.Manifest.Version} at {layout.ImagePath(release.Manifest.Version)}");
            await Console.Out.WriteLineAsync($"download: {download.Used.Kind} {download.Used.Description}, object {download.Used.Object.Size} bytes, received {download.ReceivedBytes} bytes");
        });
        return command;
    }

    /// <summary>The manifest and image file of a local install: a signed bundle, or an image file only when explicitly insecure.</summary>
    private static (ImageManifest Manifest, string Image) LocalInstall(HostLayout layout, string path, string? manifest, bool insecureUnsigned, string productLine)
    {
        if (SignedBundle.IsBundle(path))
        {
            if (manifest is not null)
            {
                throw new ApplianceException(ExitCode.Usage, "A bundle carries its own signed manifest: --manifest is only for --insecure-unsigned image files.");
            }
            var bundle = SignedBundle.Open(path, new TrustStore(layout).Load().Root, productLine);
            return (bundle.Manifest, bundle.ImagePath);
        }
        if (!insecureUnsigned)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{path} is not a signed bundle (a directory with {BundleDocument.FileName}): only images signed by the release key are staged. Make one with 'imagebuild bundle', or pass --insecure-unsigned to trust an image file as it is.");
        }
        var unsigned = ImageStager.ReadManifest(manifest ?? Path.ChangeExtension(path, null) + ImageVersion.ManifestExtension);
        ProductLine.RequireCompatible(productLine, unsigned.SpecName, $"Image {unsigned.Version} ({path})");
        return (unsigned, path);
    }
}
