using Appliance.Core.Images;

namespace Appliance.ImageBuild.Building;

/// <summary>Finished <c>&lt;N&gt;.img</c> files in a directory (partial files never count).</summary>
public static class PublishedImages
{
    public static string? LatestBefore(string directory, ImageVersion version)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }
        return Directory.EnumerateFiles(directory, "*" + ImageVersion.ImageExtension)
            .Select(path => (Path: path, Ok: ImageVersion.TryParseImageFileName(Path.GetFileName(path), out var v), Version: v))
            .Where(image => image.Ok && image.Version < version)
            .OrderByDescending(image => image.Version)
            .Select(image => image.Path)
            .FirstOrDefault();
    }
}
