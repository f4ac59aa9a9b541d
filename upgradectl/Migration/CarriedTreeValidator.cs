using Appliance.Core.Errors;

namespace Appliance.Upgradectl.Migration;

/// <summary>
/// Refuses carried configuration that could make the migration read or write outside the image: a symlink among the
/// path's parents, or a symlink inside the carried tree whose target leaves the image (through "..", or into /host).
/// </summary>
public static class CarriedTreeValidator
{
    public static void Validate(string root, CarriedPath path)
    {
        var current = root;
        foreach (var part in path.Absolute.Trim('/').Split('/').SkipLast(1))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                Refuse(path, $"/{Path.GetRelativePath(root, current)} is a symlink");
            }
        }
        var top = Path.Combine(root, path.Absolute.TrimStart('/'));
        foreach (var entry in Walk(top))
        {
            if (entry.LinkTarget is { } target && !StaysInside(root, entry.FullName, target))
            {
                Refuse(path, $"the symlink /{Path.GetRelativePath(root, entry.FullName)} points to {target}, outside the image");
            }
        }
    }

    private static IEnumerable<FileSystemInfo> Walk(string top)
    {
        var first = new FileInfo(top);
        if (first.LinkTarget is not null || !Directory.Exists(top))
        {
            return first.Exists || first.LinkTarget is not null ? [first] : [];
        }
        // EnumerateFileSystemInfos does not descend into symlinked directories, so the walk stays in the tree.
        return new DirectoryInfo(top).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 });
    }

    private static bool StaysInside(string root, string link, string target)
    {
        var inImage = target.StartsWith('/')
            ? target
            : "/" + Path.GetRelativePath(root, Path.Combine(Path.GetDirectoryName(link)!, target));
        var normalized = Normalize(inImage);
        return normalized is not null && normalized != "/host" && !normalized.StartsWith("/host/", StringComparison.Ordinal);
    }

    /// <summary>Resolves "." and ".." lexically; null when the path climbs above the root.</summary>
    private static string? Normalize(string path)
    {
        var stack = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (stack.Count == 0)
                {
                    return null;
                }
                stack.RemoveAt(stack.Count - 1);
            }
            else if (part != ".")
            {
                stack.Add(part);
            }
        }
        return "/" + string.Join('/', stack);
    }

    private static void Refuse(CarriedPath path, string reason) =>
        throw new ApplianceException(ExitCode.InvalidInput, $"Refusing to carry {path.Absolute}: {reason}.");
}
