using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

[Collection(SerialCollection.Name)]
public sealed class StageTests : IDisposable
{
    private const string Tools = "mke2fs";
    private readonly TempDirectory directory = new();

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_copies_verifies_and_publishes_an_image_under_its_version_and_leaves_no_partial_file()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);

        var result = await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        Assert.Contains("staged image 2", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.True(File.Exists(Path.Combine(appliance.Images, "2.manifest.json")));
        Assert.Empty(Directory.EnumerateFiles(appliance.Images, "*.partial"));
        var status = await appliance.StatusAsync();
        Assert.Contains(status.GetProperty("images").EnumerateArray(), image => image.GetProperty("version").GetInt32() == 2 && image.GetProperty("state").GetString() == "staged");
        Assert.Equal(new Core.Boot.BootState(1, null, null, 0, null), await appliance.BootStateAsync());
    }

    public static TheoryData<string, int, string> CorruptImages => new()
    {
        { "flipped-byte", (int)ExitCode.VerificationFailed, "its SHA-256 is" },
        { "truncated", (int)ExitCode.VerificationFailed, "bytes, its manifest says" },
        { "not-ext4", (int)ExitCode.VerificationFailed, "is not a clean ext4 filesystem (e2fsck -fn exit code" },
        { "no-kernel", (int)ExitCode.VerificationFailed, "it has no /vmlinuz" },
    };

    [ToolTheory(Tools, "grub-editenv", "debugfs", "e2fsck")]
    [MemberData(nameof(CorruptImages))]
    public async Task Stage_refuses_a_corrupt_image_with_a_clear_error_and_leaves_the_appliance_as_it_was(string corruption, int exitCode, string reason)
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var image = await CorruptAsync(appliance, corruption);
        var before = await appliance.BootStateAsync();

        var result = await appliance.RunAsync("stage", image, "--insecure-unsigned");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        Assert.Equal(before, await appliance.BootStateAsync());
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_refuses_an_image_older_than_the_confirmed_default_unless_a_downgrade_is_allowed()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var third = await TestImage.CreateAsync(appliance.Downloads, 3);
        await appliance.SucceedAsync("stage", third.ImagePath, "--insecure-unsigned");
        await appliance.SucceedAsync("apply");
        await appliance.BootAsync(3, Core.Boot.BootMode.Trial);
        await appliance.SucceedAsync("mark-good");
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);

        var refused = await appliance.RunAsync("stage", second.ImagePath, "--insecure-unsigned");
        Assert.Equal((int)ExitCode.InvalidInput, refused.ExitCode);
        Assert.Contains("refusing a downgrade", refused.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(appliance.Images, "2.img")));

        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned", "--allow-downgrade");
        Assert.True(File.Exists(Path.Combine(appliance.Images, "2.img")));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_refuses_when_free_space_would_drop_below_the_reserve()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);

        var result = await appliance.RunAsync("stage", second.ImagePath, "--insecure-unsigned", "--reserve-mib", "100000000");

        Assert.Equal((int)ExitCode.InsufficientSpace, result.ExitCode);
        Assert.Contains("upgradectl prune can make room", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(appliance.Images, "2.*"));
    }

    [RootFact(Tools, "grub-editenv", "debugfs", "e2fsck", "fallocate")]
    public async Task Stage_fails_cleanly_when_the_host_partition_fills_up_during_the_copy()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var big = await TestImage.CreateAsync(appliance.Downloads, 2, sizeMiB: 160,
            files: new Dictionary<string, string> { ["/usr/lib/big.txt"] = RandomText(120 << 20) });
        // A small real host partition: the image fits by the free-space check, then another writer takes the space.
        var hostFile = directory.File("host.ext4");
        await ProcessRunner.RunAsync("mke2fs", ["-q", "-F", "-t", "ext4", "-m", "0", hostFile, "200M"]);
        var saved = directory.File("host-before");
        Directory.Move(appliance.Host, saved);
        await using (await Mounter.MountAsync(hostFile, appliance.Host, ["-o", "loop"], CancellationToken.None))
        {
            await ProcessRunner.RunAsync("cp", ["-a", saved + "/.", appliance.Host]);
            var stage = appliance.RunAsync("stage", big.ImagePath, "--insecure-unsigned", "--reserve-mib", "0");
            var partial = Path.Combine(appliance.Images, "2.img.partial");
            while (!File.Exists(partial) && !stage.IsCompleted)
            {
                await Task.Delay(5);
            }
            // The copy keeps writing while the filler is made: retry with what is free now until the filler holds it.
            var filled = false;
            for (var attempt = 0; !filled && !stage.IsCompleted; attempt++)
            {
                var free = FreeSpace.AvailableBytes(appliance.Host) - (64 << 10);
                var filler = Path.Combine(appliance.Host, $"filler-{attempt}");
                filled = free <= 0 || (await ProcessRunner.RunAsync("fallocate", ["-l", free.ToString(System.Globalization.CultureInfo.InvariantCulture), filler],
                    new ProcessOptions(AllowedExitCodes: [1]))).ExitCode == 0;
            }
            var result = await stage;

            Assert.Equal((int)ExitCode.InsufficientSpace, result.ExitCode);
            Assert.Contains("is full", result.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(partial));
            Assert.False(File.Exists(Path.Combine(appliance.Images, "2.img")));
            Assert.Equal(1, (await appliance.BootStateAsync()).Default);
        }
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_second_upgradectl_fails_clearly_while_another_one_holds_the_host_lock()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        using var held = await FileLock.TryAcquireAsync(Path.Combine(appliance.Host, "var/lib/appliance/upgradectl.lock"), TimeSpan.Zero, default);

        var result = await appliance.RunAsync("stage", second.ImagePath, "--insecure-unsigned");

        Assert.Equal((int)ExitCode.Busy, result.ExitCode);
        Assert.Contains("Another upgradectl is changing this appliance", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(appliance.Images, "2.img")));
    }

    public void Dispose() => directory.Dispose();

    private static async Task<string> CorruptAsync(ApplianceRoot appliance, string corruption)
    {
        var good = await TestImage.CreateAsync(appliance.Downloads, 2, withKernel: corruption != "no-kernel");
        switch (corruption)
        {
            case "flipped-byte":
                await using (var stream = new FileStream(good.ImagePath, FileMode.Open, FileAccess.ReadWrite))
                {
                    // One bit in the middle of the image: the filesystem stays valid, only the hash can tell.
                    stream.Position = good.Manifest.SizeBytes / 2;
                    var value = stream.ReadByte();
                    stream.Position = good.Manifest.SizeBytes / 2;
                    stream.WriteByte((byte)(value ^ 0x01));
                }
                break;
            case "truncated":
                await using (var stream = new FileStream(good.ImagePath, FileMode.Open, FileAccess.ReadWrite))
                {
                    stream.SetLength(stream.Length - 4096);
                }
                break;
            case "not-ext4":
                // The manifest matches the bytes: only the filesystem check can refuse it.
                var bytes = new byte[good.Manifest.SizeBytes];
                new Random(7).NextBytes(bytes);
                await File.WriteAllBytesAsync(good.ImagePath, bytes);
                await File.WriteAllBytesAsync(good.ManifestPath, Core.Manifests.ManifestSerializer.Serialize(
                    good.Manifest with { Sha256 = await Sha256File.ComputeAsync(good.ImagePath, default) }));
                break;
        }
        return good.ImagePath;
    }

    private static string RandomText(int length)
    {
        var random = new Random(11);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
    }
}
