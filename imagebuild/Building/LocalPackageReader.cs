using Appliance.Core.Errors;
using Appliance.Core.Specs;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>Finds the spec's local .deb files (a directory stands for the .deb files in it) and reads their control fields.</summary>
public static class LocalPackageReader
{
    public static async Task<IReadOnlyList<LocalPackage>> ReadAsync(ImageSpec spec, string specDirectory, CancellationToken cancellationToken)
    {
        var packages = new List<LocalPackage>();
        foreach (var file in spec.LocalPackages.SelectMany(entry => FilesOf(Path.GetFullPath(entry, specDirectory))))
        {
            var package = await ReadOneAsync(file, cancellationToken);
            if (packages.Find(p => p.Name == package.Name) is { } twin)
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"Local packages {twin.File} and {file} are both package '{package.Name}'; name one of them.");
            }
            packages.Add(package);
        }
        return packages;
    }

    private static IEnumerable<string> FilesOf(string path)
    {
        if (Directory.Exists(path))
        {
            var debs = Directory.GetFiles(path, "*.deb").Order(StringComparer.Ordinal).ToList();
            return debs.Count > 0 ? debs : throw new ApplianceException(ExitCode.NotFound, $"The local package directory {path} named in the spec holds no .deb file.");
        }
        return File.Exists(path) ? [path] : throw new ApplianceException(ExitCode.NotFound, $"The local package {path} named in the spec does not exist.");
    }

    private static async Task<LocalPackage> ReadOneAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            var fields = (await ProcessRunner.RunAsync("dpkg-deb", ["--show", "--showformat=${Package}\t${Version}\t${Architecture}", file], cancellationToken: cancellationToken))
                .StandardOutput.TrimEnd('\n').Split('\t');
            return fields.Length == 3 && fields.All(f => f.Length > 0)
                ? new LocalPackage(file, fields[0], fields[1], fields[2])
                : throw new ApplianceException(ExitCode.InvalidInput, $"The local package {file} lacks a Package, Version or Architecture field.");
        }
        catch (ExternalToolException e)
        {
            var reason = e.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal))?.Trim() ?? e.Message;
            throw new ApplianceException(ExitCode.InvalidInput, $"The local package {file} is not a Debian package: {reason}", e);
        }
    }
}
