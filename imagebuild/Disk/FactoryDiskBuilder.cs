using System.Globalization;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Core.Layout;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Core.Images;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Platform.Fleet;
using Appliance.Platform.Processes;
using Serilog;

namespace Appliance.ImageBuild.Disk;

/// <summary>
/// Builds the disk of a new appliance, always as a new file (writing onto an old disk file leaves stale bytes
/// behind): GPT, an EFI system partition with a standalone GRUB, and the ext4 host partition holding
/// /images/&lt;N&gt;.img, grub.cfg and an initialised grubenv (and, with a fleet, the agent configuration and token).
/// </summary>
public sealed class FactoryDiskBuilder(IStepProgress progress)
{
    public async Task<Guid> BuildAsync(DiskRequest request, CancellationToken cancellationToken)
    {
        var images = request.Images.Select(Validate).OrderBy(image => image.Version).ToList();
        if (images.Count == 0)
        {
            throw new ApplianceException(ExitCode.InvalidInput, "A factory disk needs at least one image.");
        }
        var layout = new DiskLayout(request.SizeBytes);
        var imageBytes = images.Sum(image => new FileInfo(image.Path).Length);
        if (layout.HostBytes < imageBytes + (256L << 20))
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"A {request.SizeBytes >> 20} MiB disk is too small for {imageBytes >> 20} MiB of images; give --size of at least {(imageBytes >> 20) + 400} MiB.");
        }
        var output = Path.GetFullPath(request.OutputFile);
        var partial = output + ".partial";
        var staging = output + ".staging";
        var hostUuid = Guid.NewGuid();
        try
        {
            File.Delete(partial);
            await using (var disk = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
            {
                disk.SetLength(request.SizeBytes);
            }
            await ProcessRunner.RunAsync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", partial],
                new ProcessOptions(StandardInput: layout.SfdiskScript), cancellationToken);
            await progress.RunAsync("EFI system partition with GRUB", _ => WriteEspAsync(partial, staging, hostUuid, cancellationToken));
            await progress.RunAsync("host partition", _ => WriteHostAsync(request, layout, images, partial, staging, hostUuid, cancellationToken));
            AtomicFile.Flush(partial);
            AtomicFile.Publish(partial, output);
            Log.Information("Wrote factory disk {Disk} ({Size} MiB) with images {Images}; host partition UUID {Uuid}",
                output, request.SizeBytes >> 20, string.Join(", ", images.Select(i => i.Version)), hostUuid);
            return hostUuid;
        }
        finally
        {
            File.Delete(partial);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static (ImageVersion Version, string Path) Validate(string image)
    {
        if (!File.Exists(image))
        {
            throw new ApplianceException(ExitCode.NotFound, $"Image {image} does not exist.");
        }
        if (!ImageVersion.TryParseImageFileName(Path.GetFileName(image), out var version))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Image {image} is not named <N>.img.");
        }
        return (version, Path.GetFullPath(image));
    }

    private static async Task WriteEspAsync(string disk, string staging, Guid hostUuid, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(staging);
        var embeddedConfig = Path.Combine(staging, "embedded.cfg");
        await File.WriteAllTextAsync(embeddedConfig, GrubConfigRenderer.RenderEmbedded(hostUuid), cancellationToken);
        var efi = Path.Combine(staging, "BOOTX64.EFI");
        await ProcessRunner.RunAsync("grub-mkstandalone",
            ["--format=x86_64-efi", $"--output={efi}", "--locales=", "--fonts=", "--themes=",
             $"{HostPartitionPaths.GrubConfig}={embeddedConfig}"],
            cancellationToken: cancellationToken);
        var espKib = (DiskGeometry.EspSizeBytes / 1024).ToString(CultureInfo.InvariantCulture);
        await ProcessRunner.RunAsync("mkfs.vfat",
            ["-F", "32", "-s", "1", "-n", "EFI", "--offset", DiskGeometry.EspStartSector.ToString(CultureInfo.InvariantCulture), disk, espKib],
            cancellationToken: cancellationToken);
        var fat = $"{disk}@@{DiskGeometry.EspOffsetBytes}";
        await ProcessRunner.RunAsync("mmd", ["-i", fat, "::/EFI", "::/EFI/BOOT"], cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync("mcopy", ["-i", fat, efi, "::/EFI/BOOT/BOOTX64.EFI"], cancellationToken: cancellationToken);
    }

    private static async Task WriteHostAsync(
        DiskRequest request, DiskLayout layout, IReadOnlyList<(ImageVersion Version, string Path)> images,
        string disk, string staging, Guid hostUuid, CancellationToken cancellationToken)
    {
        var tree = Path.Combine(staging, "host");
        Directory.CreateDirectory(Path.Combine(tree, HostPartitionPaths.Images));
        Directory.CreateDirectory(Path.Combine(tree, HostPartitionPaths.GrubDirectory));
        foreach (var (version, path) in images)
        {
            await ProcessRunner.RunAsync("cp", ["--reflink=auto", "--sparse=always", path, Path.Combine(tree, HostPartitionPaths.Image(version.Number))],
                cancellationToken: cancellationToken);
            // The manifest travels with its image: upgradectl verify checks against it, and a delta download finds its
            // base by the sha256 it records.
            var manifest = Path.Combine(Path.GetDirectoryName(path)!, version.ManifestFileName);
            if (File.Exists(manifest))
            {
                File.Copy(manifest, Path.Combine(tree, HostPartitionPaths.Manifest(version.Number)));
            }
            else
            {
                Log.Warning("Image {Version} has no manifest next to it ({Manifest}); the appliance cannot verify it or use it as a delta base", version, manifest);
            }
        }
        if (request.TrustRoot is { } trustRoot)
        {
            var trust = Path.Combine(tree, HostPartitionPaths.Trust);
            Directory.CreateDirectory(trust);
            await File.WriteAllBytesAsync(Path.Combine(trust, TrustLocations.RootFileName), TrustRootFile.Read(trustRoot), cancellationToken);
        }
        if (request.Fleet is { } fleet)
        {
            FleetProvisioningWriter.Write(Path.Combine(tree, FleetLocations.DirectoryOnHost), fleet);
        }
        var defaultVersion = request.DefaultVersion ?? images[^1].Version.Number;
        if (images.All(image => image.Version.Number != defaultVersion))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"The default image {defaultVersion} is not among the images given.");
        }
        var state = BootState.Empty with { Default = defaultVersion };
        var entries = images.Select(image => new BootImageEntry(image.Version.Number, KnownGood: image.Version.Number == defaultVersion)).ToList();
        await File.WriteAllTextAsync(Path.Combine(tree, HostPartitionPaths.GrubConfig), GrubConfigRenderer.Render(entries, request.KernelArguments), cancellationToken);
        // Written with grub-editenv itself: the factory state is exactly what GRUB's own tool produces.
        var grubenv = Path.Combine(tree, HostPartitionPaths.GrubEnvironment);
        await ProcessRunner.RunAsync("grub-editenv", [grubenv, "create"], cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync("grub-editenv",
            [grubenv, "set", .. state.ToEnvironment().Select(pair => $"{pair.Key}={pair.Value}")],
            cancellationToken: cancellationToken);

        var blocks = (layout.HostBytes / 4096).ToString(CultureInfo.InvariantCulture);
        await ProcessRunner.RunAsync("mke2fs",
            ["-q", "-F", "-t", "ext4", "-L", DiskGeometry.HostLabel, "-U", hostUuid.ToString(), "-b", "4096",
             "-E", $"offset={DiskGeometry.HostOffsetBytes},nodiscard",
             "-O", "^metadata_csum_seed,^orphan_file",
             "-d", tree, disk, blocks],
            cancellationToken: cancellationToken);
    }
}
