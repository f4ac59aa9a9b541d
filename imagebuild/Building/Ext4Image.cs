using System.Globalization;
using System.Text;
using Appliance.Core.Errors;
using Appliance.Core.Ext4;
using Appliance.Platform.Ext4;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>The e2fsprogs operations a build performs on an image file.</summary>
public static class Ext4Image
{
    /// <summary>A fresh image from a directory tree, with a fixed UUID and hash seed; the new file's unused blocks are holes, so zero.</summary>
    public static async Task CreateAsync(string image, string tree, long sizeBytes, Guid uuid, long sourceDateEpoch, CancellationToken cancellationToken)
    {
        File.Delete(image);
        await using (var file = new FileStream(image, FileMode.CreateNew, FileAccess.Write))
        {
            file.SetLength(sizeBytes);
        }
        var id = uuid.ToString();
        // mke2fs reads its defaults from a file: the pinned one goes next to the image (a work file of the build,
        // removed with it), not into /tmp where every build would leave one behind.
        var pinnedConfig = WorkFile(image, "mke2fs.conf");
        await File.WriteAllBytesAsync(pinnedConfig, EmbeddedFile.Read("mke2fs.conf"), cancellationToken);
        try
        {
            await ProcessRunner.RunAsync("mke2fs",
                ["-q", "-F", "-t", "ext4", "-L", "appliance", "-U", id,
                 "-E", $"hash_seed={id},root_owner=0:0,nodiscard,lazy_itable_init=0,lazy_journal_init=0",
                 "-d", tree, image],
                new ProcessOptions(Environment: new Dictionary<string, string?>
                {
                    ["MKE2FS_CONFIG"] = pinnedConfig,
                    ["E2FSPROGS_FAKE_TIME"] = sourceDateEpoch.ToString(CultureInfo.InvariantCulture),
                }),
                cancellationToken);
        }
        finally
        {
            File.Delete(pinnedConfig);
        }
    }

    /// <summary>Fails with a clear error unless <c>e2fsck -fn</c> finds the filesystem clean.</summary>
    public static async Task CheckAsync(string image, CancellationToken cancellationToken)
    {
        if (await Ext4Check.ProblemsAsync(image, cancellationToken) is { } problems)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, $"{image} is not a clean ext4 filesystem ({problems}).");
        }
    }

    /// <summary>
    /// Replaces the journal with a fresh, empty one in the same place, so the transactions written while the
    /// image was mounted neither leak into the image nor show up as changed blocks.
    /// </summary>
    public static async Task ResetJournalAsync(string image, CancellationToken cancellationToken)
    {
        await ProcessRunner.RunAsync("tune2fs", ["-O", "^has_journal", image], cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync("tune2fs", ["-j", image], cancellationToken: cancellationToken);
    }

    public static Task ZeroFreeBlocksAsync(string image, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("zerofree", [image], cancellationToken: cancellationToken);

    /// <summary>
    /// Sets atime, ctime and crtime of every inode of the tree to SOURCE_DATE_EPOCH (mtime was clamped in the tree
    /// already), then stamps the superblocks: the filesystem then depends on the inputs only, not on the clock.
    /// </summary>
    public static async Task StampTimesAsync(string image, string tree, long sourceDateEpoch, CancellationToken cancellationToken)
    {
        var epoch = "@" + sourceDateEpoch.ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder();
        foreach (var path in PathsInImage(tree))
        {
            if (path.Contains('"', StringComparison.Ordinal) || path.Contains('\n', StringComparison.Ordinal))
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"The tree contains a path debugfs cannot address: {path}");
            }
            foreach (var field in (string[])["atime", "ctime", "crtime"])
            {
                script.Append(CultureInfo.InvariantCulture, $"sif \"{path}\" {field} {epoch}\n");
            }
        }
        var scriptFile = WorkFile(image, "stamp.debugfs");
        await File.WriteAllTextAsync(scriptFile, script.ToString(), cancellationToken);
        try
        {
            var result = await ProcessRunner.RunAsync("debugfs", ["-w", "-f", scriptFile, image], cancellationToken: cancellationToken);
            var problem = result.StandardError.Split('\n').FirstOrDefault(line => line.Contains("sif:", StringComparison.Ordinal) || line.Contains("File not found", StringComparison.Ordinal));
            if (problem is not null)
            {
                throw new ApplianceException(ExitCode.ExternalToolFailed, $"debugfs could not stamp inode times in {image}: {problem}");
            }
        }
        finally
        {
            File.Delete(scriptFile);
        }
        StampSuperblocks(image, sourceDateEpoch);
    }

    /// <summary>A hidden file next to the image, for the duration of one tool run.</summary>
    private static string WorkFile(string image, string name) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(image))!, $".{Path.GetFileName(image)}.{Environment.ProcessId}.{name}");

    private static IEnumerable<string> PathsInImage(string tree)
    {
        yield return "/";
        yield return "/lost+found";
        foreach (var entry in EntriesBelow(new DirectoryInfo(tree)))
        {
            yield return "/" + Path.GetRelativePath(tree, entry.FullName);
        }
    }

    /// <summary>Every entry below a directory, not descending into symbolic links (which .NET's recursion would follow).</summary>
    private static IEnumerable<FileSystemInfo> EntriesBelow(DirectoryInfo directory)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            yield return entry;
            if (entry is DirectoryInfo subdirectory && entry.LinkTarget is null)
            {
                foreach (var below in EntriesBelow(subdirectory))
                {
                    yield return below;
                }
            }
        }
    }

    private static void StampSuperblocks(string image, long sourceDateEpoch)
    {
        using var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var primary = new byte[SuperblockStamp.Size];
        file.Position = SuperblockStamp.Size;
        file.ReadExactly(primary);
        foreach (var offset in SuperblockStamp.Locations(primary).ToList())
        {
            var superblock = new byte[SuperblockStamp.Size];
            file.Position = offset;
            file.ReadExactly(superblock);
            if (!SuperblockStamp.HasMagic(superblock))
            {
                continue;
            }
            SuperblockStamp.Apply(superblock, sourceDateEpoch);
            file.Position = offset;
            file.Write(superblock);
        }
        file.Flush(flushToDisk: true);
    }
}
