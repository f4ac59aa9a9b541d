using System.Globalization;
using Appliance.Core.Layout;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.EndToEnd;

[Collection(BuiltImagesCollection.Name)]
public sealed class ImageBuildTests(BuiltImages images)
{
    [RootFact("debootstrap", "e2fsck", "debugfs")]
    public async Task The_product_spec_builds_a_clean_ext4_image_with_kernel_initrd_upgradectl_and_release_file()
    {
        await ProcessRunner.RunAsync("e2fsck", ["-fn", images.FirstImage]);
        foreach (var path in (string[])["/vmlinuz", "/initrd.img", "/usr/local/sbin/upgradectl", "/host",
                     "/etc/initramfs-tools/scripts/local-bottom/appliance-loop", "/etc/systemd/system/multi-user.target.wants/appliance-health.service",
                     "/" + ImagePaths.LayoutShellFile])
        {
            var stat = await ProcessRunner.RunAsync("debugfs", ["-R", $"stat {path}", images.FirstImage]);
            Assert.DoesNotContain("File not found", stat.StandardError, StringComparison.Ordinal);
        }
        var release = await CatAsync(images.FirstImage, "/etc/appliance-release");
        Assert.Contains("APPLIANCE_VERSION=1\n", release, StringComparison.Ordinal);
        Assert.Contains("BUILD_TIME=2025-11-21T04:40:00Z\n", release, StringComparison.Ordinal);
        Assert.Contains("GIT_TAG=v1\n", release, StringComparison.Ordinal);
        Assert.Equal("", await CatAsync(images.FirstImage, "/etc/machine-id"));
        Assert.Equal(LayoutShellFile.Render(), await CatAsync(images.FirstImage, "/" + ImagePaths.LayoutShellFile));
    }

    [RootFact("debootstrap")]
    public async Task The_manifest_describes_the_image_file_exactly()
    {
        var manifest = ManifestSerializer.Deserialize(await File.ReadAllBytesAsync(images.FirstManifest), images.FirstManifest);

        Assert.Equal(1, manifest.Version);
        Assert.Equal(new FileInfo(images.FirstImage).Length, manifest.SizeBytes);
        Assert.Equal(await Sha256File.ComputeAsync(images.FirstImage, default), manifest.Sha256);
        Assert.StartsWith("6.1.", manifest.KernelVersion, StringComparison.Ordinal);
        Assert.Equal("bookworm", manifest.OsRelease["VERSION_CODENAME"]);
        Assert.Contains(manifest.Packages, p => p.Name == "linux-image-amd64");
        Assert.Contains(manifest.Packages, p => p.Name == "systemd-sysv");
        Assert.Null(manifest.BaseVersion);
        Assert.Equal("v1", manifest.GitTag);
    }

    [RootFact("debootstrap")]
    public async Task Building_the_same_inputs_twice_gives_a_bit_identical_image_and_manifest()
    {
        Assert.Equal(await Sha256File.ComputeAsync(images.FirstImage, default), await Sha256File.ComputeAsync(images.RebuiltImage, default));
        Assert.Equal(await File.ReadAllBytesAsync(images.FirstManifest), await File.ReadAllBytesAsync(images.RebuiltManifest));
    }

    [RootFact("debootstrap", "zerofree")]
    public async Task Unused_blocks_are_zero_in_fresh_and_in_layout_preserving_builds()
    {
        Assert.Equal(0, await BuiltImages.NonzeroFreeBlocksAsync(images.FirstImage));
        Assert.Equal(0, await BuiltImages.NonzeroFreeBlocksAsync(images.LayoutPreservedImage));
    }

    [RootFact("debootstrap", "e2fsck", "debugfs")]
    public async Task A_build_on_a_base_image_is_clean_has_the_new_package_and_changes_few_blocks()
    {
        await ProcessRunner.RunAsync("e2fsck", ["-fn", images.LayoutPreservedImage]);
        var manifest = ManifestSerializer.Deserialize(await File.ReadAllBytesAsync(images.LayoutPreservedManifest), "2");
        Assert.Equal(1, manifest.BaseVersion);
        Assert.Contains(manifest.Packages, p => p.Name == "less");
        Assert.Contains("APPLIANCE_VERSION=2\n", await CatAsync(images.LayoutPreservedImage, "/etc/appliance-release"), StringComparison.Ordinal);

        await using var previous = File.OpenRead(images.FirstImage);
        await using var next = File.OpenRead(images.LayoutPreservedImage);
        var diff = Core.Delta.SameOffsetBlockComparer.Compare(previous, next, 16384);
        // One small package and the rebuilt initramfs: a few MiB, not the hundreds a fresh mke2fs moves.
        Assert.InRange(diff.ChangedBytes, 1, 48L << 20);
    }

    [RootFact("debootstrap", "sfdisk", "mdir", "losetup", "debugfs")]
    public async Task The_factory_disk_has_a_gpt_with_an_efi_partition_holding_grub_and_a_host_partition_holding_the_image()
    {
        var table = (await ProcessRunner.RunAsync("sfdisk", ["--dump", images.Disk])).StandardOutput;
        Assert.Contains("label: gpt", table, StringComparison.Ordinal);
        Assert.Contains("type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B", table, StringComparison.Ordinal);
        Assert.Contains("type=0FC63DAF-8483-4772-8E79-3D69D8477DE4", table, StringComparison.Ordinal);

        var esp = (await ProcessRunner.RunAsync("mdir", ["-i", $"{images.Disk}@@{DiskGeometry.EspOffsetBytes}", "::/EFI/BOOT"])).StandardOutput;
        Assert.Contains("BOOTX64", esp, StringComparison.Ordinal);

        var device = (await ProcessRunner.RunAsync("losetup",
            ["--find", "--show", "--read-only", "--offset", DiskGeometry.HostOffsetBytes.ToString(CultureInfo.InvariantCulture), images.Disk])).StandardOutput.Trim();
        try
        {
            await ProcessRunner.RunAsync("e2fsck", ["-fn", device]);
            var imageStat = (await ProcessRunner.RunAsync("debugfs", ["-R", $"stat /{HostPartitionPaths.Image(1)}", device])).StandardOutput;
            Assert.Contains($"Size: {new FileInfo(images.FirstImage).Length}", imageStat, StringComparison.Ordinal);
            Assert.Contains("appliance_default=1\n", await CatAsync(device, "/" + HostPartitionPaths.GrubEnvironment), StringComparison.Ordinal);
            Assert.Contains("--id image-1", await CatAsync(device, "/" + HostPartitionPaths.GrubConfig), StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.RunAsync("losetup", ["--detach", device]);
        }
    }

    private static async Task<string> CatAsync(string image, string path) =>
        (await ProcessRunner.RunAsync("debugfs", ["-R", $"cat {path}", image])).StandardOutput;
}
