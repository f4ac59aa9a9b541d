using Appliance.Core.Specs;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// Creates the Debian base tree (the variant alone) with real debootstrap; packages are cached so a rebuild downloads
/// nothing. The spec's packages are installed afterwards by <see cref="AptInstaller"/>, from all of the spec's sources.
/// </summary>
public static class Debootstrap
{
    public static async Task RunAsync(ImageSpec spec, string target, string cacheDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        List<string> arguments =
        [
            $"--variant={spec.Variant}",
            $"--components={string.Join(',', spec.Components)}",
            $"--cache-dir={Path.GetFullPath(cacheDirectory)}",
            spec.Suite,
            target,
            spec.Mirror.ToString(),
        ];
        await ProcessRunner.RunAsync("debootstrap", arguments, new ProcessOptions(Environment: environment), cancellationToken);
    }
}
