using Appliance.Core.Errors;
using Appliance.Core.Specs;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>Creates the Debian tree with real debootstrap; packages are cached so a rebuild downloads nothing.</summary>
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
        ];
        if (spec.Packages.Count > 0)
        {
            arguments.Add($"--include={string.Join(',', spec.Packages)}");
        }
        arguments.AddRange([spec.Suite, target, spec.Mirror.ToString()]);
        try
        {
            await ProcessRunner.RunAsync("debootstrap", arguments, new ProcessOptions(Environment: environment), cancellationToken);
        }
        catch (ExternalToolException e) when (e.Output.Contains("Couldn't find these debs", StringComparison.Ordinal))
        {
            var line = e.Output.Split('\n').First(l => l.Contains("Couldn't find these debs", StringComparison.Ordinal));
            throw new ApplianceException(ExitCode.InvalidInput,
                $"The spec '{spec.Name}' names packages that {spec.Suite} does not have: {line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()}", e);
        }
    }
}
