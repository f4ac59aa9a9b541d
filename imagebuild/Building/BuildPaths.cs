using Appliance.Core.Images;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Where a build writes. Everything unfinished lives under names no reader takes for a finished image:
/// the work directory and <c>&lt;N&gt;.img.partial</c>. Only the last step renames to <c>&lt;N&gt;.img</c>.
/// </summary>
public sealed record BuildPaths(string OutputDirectory, ImageVersion Version)
{
    public string FinalImage => Path.Combine(OutputDirectory, Version.ImageFileName);

    public string FinalManifest => Path.Combine(OutputDirectory, Version.ManifestFileName);

    public string PartialImage => FinalImage + ".partial";

    public string WorkDirectory => Path.Combine(OutputDirectory, $".build-{Version}");

    public string RootFilesystem => Path.Combine(WorkDirectory, "rootfs");

    public string ImageMountPoint => Path.Combine(WorkDirectory, "image");
}
