using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;
using Serilog;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Builds <c>&lt;N&gt;.img</c> and its manifest. All inputs are checked before anything is written; all work happens
/// under temporary names; the finished image appears by rename only once it passed e2fsck.
/// </summary>
public sealed class ImageBuilder(IStepProgress progress)
{
    /// <summary>Room for the debootstrapped tree next to the image while building.</summary>
    private const long TreeAllowanceBytes = 2L * 1024 * 1024 * 1024;

    public async Task<ImageManifest> BuildAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        var paths = new BuildPaths(Path.GetFullPath(request.OutputDirectory), request.Version);
        var sizeBytes = (long)request.Spec.ImageSizeMiB * 1024 * 1024;
        var localPackages = await ValidateAsync(request, paths, sizeBytes, cancellationToken);

        using var buildLock = await BuildLock.AcquireAsync(paths, cancellationToken);
        await RemoveLeftoversAsync(paths);
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["SOURCE_DATE_EPOCH"] = request.SourceDateEpoch.ToString(CultureInfo.InvariantCulture),
                ["DEBIAN_FRONTEND"] = "noninteractive",
                ["TZ"] = "UTC",
            };
            var localRepository = localPackages.Count == 0
                ? null
                : await LocalRepository.CreateAsync(Path.Combine(paths.WorkDirectory, "local-debs"), localPackages, cancellationToken);
            var plan = new AptInstallPlan(request.Spec, request.SpecDirectory, localRepository, localPackages, request.PinnedPackages);
            await progress.RunAsync("check apt sources and packages", _ =>
                AptPreflight.CheckAsync(plan, Path.Combine(paths.WorkDirectory, "apt-check"), cancellationToken));
            await progress.RunAsync("debootstrap", _ =>
                Debootstrap.RunAsync(request.Spec, paths.RootFilesystem, request.CacheDirectory, environment, cancellationToken));
            var origins = await progress.RunAsync("install packages with apt", _ =>
                AptInstaller.InstallAsync(plan, paths.RootFilesystem, request.CacheDirectory, environment, cancellationToken));
            await progress.RunAsync("install appliance files and initramfs", async _ =>
            {
                await ApplianceFilesInstaller.InstallAsync(request, paths.RootFilesystem, cancellationToken);
                await using var chroot = await ChrootSession.OpenAsync(paths.RootFilesystem, environment, cancellationToken);
                await chroot.RunAsync(["update-initramfs", "-u", "-k", "all"], cancellationToken);
            });
            await progress.RunAsync("normalize tree", _ =>
                TreeNormalizer.NormalizeAsync(paths.RootFilesystem, request.SourceDateEpoch, cancellationToken));

            await progress.RunAsync(request.BaseImage is null ? "write fresh ext4 image" : "sync tree onto base image", _ =>
                request.BaseImage is null
                    ? Ext4Image.CreateAsync(paths.PartialImage, paths.RootFilesystem, sizeBytes, request.Spec.FilesystemUuid, request.SourceDateEpoch, cancellationToken)
                    : LayoutPreservingImageWriter.WriteAsync(request.BaseImage, paths.PartialImage, paths.RootFilesystem, paths.ImageMountPoint, sizeBytes, cancellationToken));
            await progress.RunAsync("stamp timestamps and check", async _ =>
            {
                await Ext4Image.StampTimesAsync(paths.PartialImage, paths.RootFilesystem, request.SourceDateEpoch, cancellationToken);
                await Ext4Image.CheckAsync(paths.PartialImage, cancellationToken);
            });

            var manifest = await progress.RunAsync("hash and write manifest", async _ =>
            {
                AtomicFile.Flush(paths.PartialImage);
                var sha256 = await Sha256File.ComputeAsync(paths.PartialImage, cancellationToken);
                return ManifestCollector.Collect(request, paths.RootFilesystem, sizeBytes, sha256, origins);
            });
            AtomicFile.Publish(paths.PartialImage, paths.FinalImage);
            AtomicFile.WriteAllBytes(paths.FinalManifest, ManifestSerializer.Serialize(manifest));
            Log.Information("Built {Image}: {Size} MiB, sha256 {Sha256}", paths.FinalImage, sizeBytes >> 20, manifest.Sha256);
            return manifest;
        }
        finally
        {
            await RemoveLeftoversAsync(paths);
        }
    }

    private static async Task<IReadOnlyList<LocalPackage>> ValidateAsync(BuildRequest request, BuildPaths paths, long sizeBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(request.UpgradectlBinary))
        {
            throw new ApplianceException(ExitCode.NotFound,
                $"The upgradectl binary {request.UpgradectlBinary} does not exist; publish it first (scripts/build) or pass --upgradectl.");
        }
        foreach (var overlay in request.Spec.Overlays.Select(o => Path.GetFullPath(o, request.SpecDirectory)))
        {
            if (!Directory.Exists(overlay))
            {
                throw new ApplianceException(ExitCode.NotFound, $"Overlay directory {overlay} named in the spec does not exist.");
            }
        }
        if (request.BaseImage is not null)
        {
            if (Path.GetFullPath(request.BaseImage) == paths.FinalImage)
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"The base image cannot be the image being built ({paths.FinalImage}).");
            }
            await BaseImageValidator.ValidateAsync(request.BaseImage, request.Spec, cancellationToken);
        }
        foreach (var keyring in request.Spec.AptSources.Where(s => s.Keyring is not null).Select(s => Path.GetFullPath(s.Keyring!, request.SpecDirectory)))
        {
            if (!File.Exists(keyring))
            {
                throw new ApplianceException(ExitCode.NotFound, $"The keyring {keyring} named in the spec's apt_sources does not exist.");
            }
        }
        foreach (var tool in (string[])["debootstrap", "apt-get", "dpkg-deb", "dpkg-scanpackages", "mke2fs", "e2fsck", "debugfs", "tune2fs", "zerofree", "rsync", "chroot", "mount", "losetup"])
        {
            ToolLocator.Require(tool);
        }
        Directory.CreateDirectory(paths.OutputDirectory);
        FreeSpace.Require(paths.OutputDirectory, sizeBytes + TreeAllowanceBytes, $"building image {request.Version}");
        return await LocalPackageReader.ReadAsync(request.Spec, request.SpecDirectory, cancellationToken);
    }

    /// <summary>Undoes what a killed or failed build may have left: mounts first, so deleting can never reach the host's /dev.</summary>
    private static async Task RemoveLeftoversAsync(BuildPaths paths)
    {
        if (Directory.Exists(paths.WorkDirectory))
        {
            await Mounter.UnmountAllUnderAsync(paths.WorkDirectory);
            await ProcessRunner.RunAsync("rm", ["-rf", "--one-file-system", paths.WorkDirectory]);
        }
        File.Delete(paths.PartialImage);
    }
}
