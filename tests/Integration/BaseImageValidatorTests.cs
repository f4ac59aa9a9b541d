using Appliance.Core.Errors;
using Appliance.Core.Specs;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

[Collection(SerialCollection.Name)]
public sealed class BaseImageValidatorTests
{
    private static readonly ImageSpec Spec = ImageSpecParser.Parse(
        "name: box\nsuite: bookworm\nmirror: http://deb.debian.org/debian\nimage_size_mib: 256", "test");

    [Fact]
    public async Task A_missing_base_image_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<ApplianceException>(() => BaseImageValidator.ValidateAsync("/nonexistent/1.img", Spec, default));

        Assert.Equal(ExitCode.NotFound, error.ExitCode);
        Assert.Contains("/nonexistent/1.img", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_that_is_not_ext4_is_refused()
    {
        using var directory = new TempDirectory();
        var file = directory.File("1.img");
        await File.WriteAllBytesAsync(file, new byte[1 << 20]);

        var error = await Assert.ThrowsAsync<ApplianceException>(() => BaseImageValidator.ValidateAsync(file, Spec, default));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Contains("not an ext4 filesystem image", error.Message, StringComparison.Ordinal);
    }

    [ToolFact("mke2fs")]
    public async Task A_base_built_from_another_spec_is_refused()
    {
        using var directory = new TempDirectory();
        var file = await MakeExt4Async(directory, Guid.NewGuid());

        var error = await Assert.ThrowsAsync<ApplianceException>(() => BaseImageValidator.ValidateAsync(file, Spec, default));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Contains("built from another spec", error.Message, StringComparison.Ordinal);
    }

    [RootFact("mke2fs", "losetup")]
    public async Task A_base_that_is_attached_to_a_loop_device_is_refused_as_busy()
    {
        using var directory = new TempDirectory();
        var file = await MakeExt4Async(directory, Spec.FilesystemUuid);
        var device = (await ProcessRunner.RunAsync("losetup", ["--find", "--show", "--read-only", file])).StandardOutput.Trim();
        try
        {
            var error = await Assert.ThrowsAsync<ApplianceException>(() => BaseImageValidator.ValidateAsync(file, Spec, default));

            Assert.Equal(ExitCode.Busy, error.ExitCode);
            Assert.Contains(device, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.RunAsync("losetup", ["--detach", device]);
        }
    }

    [RootFact("mke2fs", "losetup", "e2fsck")]
    public async Task A_clean_ext4_base_of_the_same_spec_is_accepted()
    {
        using var directory = new TempDirectory();
        var file = await MakeExt4Async(directory, Spec.FilesystemUuid);

        await BaseImageValidator.ValidateAsync(file, Spec, default);
    }

    private static async Task<string> MakeExt4Async(TempDirectory directory, Guid uuid)
    {
        var file = directory.File("1.img");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(32L << 20);
        }
        await ProcessRunner.RunAsync("mke2fs", ["-q", "-F", "-t", "ext4", "-U", uuid.ToString(), file]);
        return file;
    }
}
