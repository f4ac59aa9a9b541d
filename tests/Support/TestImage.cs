using System.Globalization;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// A small but real appliance image for upgradectl tests: an ext4 filesystem made by mke2fs -d with a kernel and an
/// initramfs at its root (placeholders: these tests never boot it), /host, and a manifest with its true size and
/// SHA-256. Optional files (e.g. a migration hook) go into the tree first.
/// </summary>
public sealed record TestImage(int Version, string ImagePath, string ManifestPath, ImageManifest Manifest)
{
    public static readonly IReadOnlyList<string> DefaultCarryOver = ["/etc/hostname", "/etc/machine-id", "/etc/appliance/config"];

    public static async Task<TestImage> CreateAsync(string directory, int version, IReadOnlyDictionary<string, string>? files = null,
        IReadOnlyList<string>? carryOver = null, bool withKernel = true, long sizeMiB = 24)
    {
        var number = version.ToString(CultureInfo.InvariantCulture);
        var tree = Path.Combine(directory, $"tree-{number}");
        Directory.CreateDirectory(Path.Combine(tree, "boot"));
        foreach (var layer in (string[])["host", "etc/appliance", "var/lib", "root", "home", "srv", "usr/lib/appliance"])
        {
            Directory.CreateDirectory(Path.Combine(tree, layer));
        }
        if (withKernel)
        {
            await File.WriteAllTextAsync(Path.Combine(tree, "boot/vmlinuz-test"), $"kernel of image {number}\n");
            await File.WriteAllTextAsync(Path.Combine(tree, "boot/initrd.img-test"), $"initramfs of image {number}\n");
            File.CreateSymbolicLink(Path.Combine(tree, "vmlinuz"), "boot/vmlinuz-test");
            File.CreateSymbolicLink(Path.Combine(tree, "initrd.img"), "boot/initrd.img-test");
        }
        await File.WriteAllTextAsync(Path.Combine(tree, "etc/hostname"), "factory-default\n");
        await File.WriteAllTextAsync(Path.Combine(tree, "etc/appliance-release"), $"APPLIANCE_VERSION={number}\n");
        await File.WriteAllBytesAsync(Path.Combine(tree, "usr/lib/payload.bin"), Payload(version));
        foreach (var (path, contents) in files ?? new Dictionary<string, string>())
        {
            var full = Path.Combine(tree, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, contents);
            if (path.Contains("/migrate.d/", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        var image = Path.Combine(directory, $"{number}.img");
        await ProcessRunner.RunAsync("mke2fs", ["-q", "-F", "-t", "ext4", "-d", tree, image, $"{sizeMiB}M"]);
        var manifest = new ImageManifest(version, "test", new FileInfo(image).Length, await Sha256File.ComputeAsync(image, default),
            Guid.Empty.ToString(), "test", new Dictionary<string, string>(), [], null, 0, null, carryOver ?? DefaultCarryOver);
        var manifestPath = Path.Combine(directory, $"{number}.manifest.json");
        await File.WriteAllBytesAsync(manifestPath, ManifestSerializer.Serialize(manifest));
        return new TestImage(version, image, manifestPath, manifest);
    }

    /// <summary>
    /// The next version made the layout-preserving way: a copy of <paramref name="previous"/> with one new file of
    /// <paramref name="addedBytes"/> random bytes written into it (debugfs), so a delta between the two is small.
    /// </summary>
    public static async Task<TestImage> DeriveAsync(TestImage previous, string directory, int version, int addedBytes = 256 * 1024)
    {
        var number = version.ToString(CultureInfo.InvariantCulture);
        var image = Path.Combine(directory, $"{number}.img");
        await ProcessRunner.RunAsync("cp", ["--sparse=always", previous.ImagePath, image]);
        var added = Path.Combine(directory, $"added-{number}.bin");
        await File.WriteAllBytesAsync(added, Payload(version)[..addedBytes]);
        var commands = Path.Combine(directory, $"debugfs-{number}.txt");
        await File.WriteAllTextAsync(commands, $"cd /usr/lib\nwrite {added} added-in-{number}.bin\n");
        await ProcessRunner.RunAsync("debugfs", ["-w", "-f", commands, image]);
        var manifest = previous.Manifest with { Version = version, Sha256 = await Sha256File.ComputeAsync(image, default) };
        var manifestPath = Path.Combine(directory, $"{number}.manifest.json");
        await File.WriteAllBytesAsync(manifestPath, ManifestSerializer.Serialize(manifest));
        return new TestImage(version, image, manifestPath, manifest);
    }

    /// <summary>Some megabytes that differ per version, so copies take measurable time and corruption is detectable.</summary>
    private static byte[] Payload(int version)
    {
        var bytes = new byte[4 << 20];
        new Random(version).NextBytes(bytes);
        return bytes;
    }
}
