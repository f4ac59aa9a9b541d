using System.Diagnostics;
using Appliance.Core.Zfs;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// The OpenZFS lane: real OpenZFS (zfs-dkms built for Debian's kernel in a debootstrap chroot, cached under
/// /var/cache/appliance-zfs by kernel and zfs versions: tests/Support/zfs-vm/build-zfs-vm) in a qemu TCG VM with no
/// network. In it: (1) our full and incremental streams are received and the zvol equals the image byte for byte;
/// (2) a real zvol's `zfs send` and `zfs send -i` come out and our reader applies them to the same bytes; (3) an
/// incremental from a base the zvol lacks is refused by zfs receive, and by us.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class OpenZfsLaneTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan VmTimeout = TimeSpan.FromMinutes(20);
    private readonly TempDirectory directory = new();

    [OpenZfsLaneFact("qemu-system-x86_64", "debootstrap", "mke2fs", "tar", "apt-get")]
    public async Task Real_openzfs_receives_our_streams_and_its_streams_apply_with_our_reader()
    {
        var vm = await BuildOrReuseVmAsync();
        var job = directory.File("job");
        Directory.CreateDirectory(job);
        await File.WriteAllBytesAsync(Path.Combine(job, "a.img"), ZfsLaneImages.A);
        await File.WriteAllBytesAsync(Path.Combine(job, "b.img"), ZfsLaneImages.B);
        await File.WriteAllBytesAsync(Path.Combine(job, "ours-full.zfs"), ZvolStreams.Full(ZfsLaneImages.A, 1));
        await File.WriteAllBytesAsync(Path.Combine(job, "ours-incremental.zfs"), ZvolStreams.Incremental(ZfsLaneImages.A, ZfsLaneImages.B));
        await File.WriteAllBytesAsync(Path.Combine(job, "ours-wrong-base.zfs"), ZvolStreams.Incremental(ZfsLaneImages.C, ZfsLaneImages.B));
        File.Copy(Path.Combine(Checkout.Root, "tests/Support/zfs-vm/lane-job.sh"), Path.Combine(job, "run.sh"));
        var jobDisk = directory.File("job.tar");
        await ProcessRunner.RunAsync("tar", ["-cf", jobDisk, "-C", job, "."]);
        var outDisk = directory.File("out.img");
        await using (var file = File.Create(outDisk))
        {
            file.SetLength(64 << 20);
        }

        var console = await RunVmAsync(vm, jobDisk, outDisk);

        var results = directory.File("out");
        Directory.CreateDirectory(results);
        await ProcessRunner.RunAsync("tar", ["-xf", outDisk, "-C", results]);
        output.WriteLine(await File.ReadAllTextAsync(Path.Combine(results, "run.log")));
        Assert.Contains("CHECK ours-full equal", console, StringComparison.Ordinal);
        Assert.Contains("CHECK ours-incremental equal", console, StringComparison.Ordinal);
        Assert.Contains("CHECK wrong-base refused", console, StringComparison.Ordinal);
        Assert.Contains("CHECK real-wrong-base refused", console, StringComparison.Ordinal);
        Assert.Contains("CHECK real-send made", console, StringComparison.Ordinal);
        // (1) The snapshots got the GUIDs we derive from the image hashes.
        Assert.Contains($"GUIDS ours {ZfsSnapshotGuid.ForImage(BlockImage.Sha256(ZfsLaneImages.A))} {ZfsSnapshotGuid.ForImage(BlockImage.Sha256(ZfsLaneImages.B))}", console, StringComparison.Ordinal);
        // (2) and (3) on our side: the same checks the committed fixtures get in every ordinary run.
        var fixture = RealZfsFixture.Load(results);
        RealZfsFixture.AssertAppliesAndRefusesWrongBase(fixture);
        if (Environment.GetEnvironmentVariable("APPLIANCE_ZFS_UPDATE_FIXTURES") == "1")
        {
            foreach (var name in RealZfsFixture.Files)
            {
                File.Copy(Path.Combine(results, name), Path.Combine(RealZfsFixture.Directory, name), overwrite: true);
            }
        }
    }

    private async Task<string> BuildOrReuseVmAsync()
    {
        var watch = Stopwatch.StartNew();
        var script = Path.Combine(Checkout.Root, "tests/Support/zfs-vm/build-zfs-vm");
        var result = await ProcessRunner.RunAsync("nice", ["-n", "19", script]);
        var vm = result.StandardOutput.Trim().Split('\n')[^1];
        output.WriteLine($"OpenZFS VM {vm} ready after {watch.Elapsed.TotalSeconds:F0} s ({(await File.ReadAllTextAsync(Path.Combine(vm, "versions"))).ReplaceLineEndings(", ")})");
        return vm;
    }

    private async Task<string> RunVmAsync(string vm, string jobDisk, string outDisk)
    {
        var serial = directory.File("serial.log");
        var startInfo = new ProcessStartInfo(ToolLocator.Require("qemu-system-x86_64")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[
            "-accel", "tcg", "-m", "1536", "-smp", "2", "-nic", "none", "-display", "none", "-no-reboot",
            "-kernel", Path.Combine(vm, "vmlinuz"), "-initrd", Path.Combine(vm, "initrd.img"),
            "-append", "root=/dev/vda rw init=/usr/local/sbin/zfs-lane-init console=ttyS0 panic=-1 quiet",
            // The cached root disk is never written: the guest's writes go to a temporary overlay.
            "-drive", $"file={Path.Combine(vm, "root.img")},format=raw,if=virtio,snapshot=on",
            "-drive", $"file={jobDisk},format=raw,if=virtio,readonly=on",
            "-drive", $"file={outDisk},format=raw,if=virtio",
            "-serial", $"file:{serial}"])
        {
            startInfo.ArgumentList.Add(argument);
        }
        var watch = Stopwatch.StartNew();
        using var qemu = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(VmTimeout);
        try
        {
            await qemu.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            qemu.Kill(entireProcessTree: true);
            Assert.Fail($"The OpenZFS VM did not finish within {VmTimeout.TotalMinutes} min:\n{await File.ReadAllTextAsync(serial)}");
        }
        var console = await File.ReadAllTextAsync(serial);
        output.WriteLine($"OpenZFS VM ran {watch.Elapsed.TotalSeconds:F0} s");
        Assert.True(console.Contains("zfs-lane: done", StringComparison.Ordinal), $"The OpenZFS VM stopped early:\n{console}");
        return console;
    }

    public void Dispose() => directory.Dispose();
}
