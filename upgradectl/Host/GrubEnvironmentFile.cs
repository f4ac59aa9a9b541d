using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.Upgradectl.Host;

/// <summary>
/// Reads and writes grubenv on the host partition. An existing 1024-byte file is rewritten in place (same inode, same
/// disk blocks, fsync) because that is what GRUB's save_env writes to; a missing or wrongly sized one is created anew
/// by write-and-rename. A missing or corrupt block reads as empty, which GRUB also does.
/// </summary>
public sealed class GrubEnvironmentFile(string path)
{
    public string Path { get; } = path;

    public Dictionary<string, string> Read()
    {
        if (!File.Exists(Path))
        {
            Log.Warning("{Path} is missing: the boot state is empty", Path);
            return [];
        }
        try
        {
            return GrubEnvironmentBlock.Parse(File.ReadAllBytes(Path));
        }
        catch (ApplianceException e)
        {
            Log.Warning("{Path} is unreadable ({Problem}): the boot state is empty", Path, e.Message);
            return [];
        }
    }

    public void Write(IEnumerable<KeyValuePair<string, string>> values)
    {
        var block = GrubEnvironmentBlock.Render(values);
        if (File.Exists(Path) && new FileInfo(Path).Length == GrubEnvironmentBlock.Size)
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(block);
            stream.Flush(flushToDisk: true);
            return;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        AtomicFile.WriteAllBytes(Path, block);
    }
}
