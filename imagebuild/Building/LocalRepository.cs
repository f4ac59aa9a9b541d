using System.Security.Cryptography;
using Appliance.Core.Manifests;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// A flat apt repository (Packages and Release, no signature) made of the spec's local .deb files, so that apt
/// resolves their dependencies like any other package's. It lives in the build's work directory only.
/// </summary>
public static class LocalRepository
{
    public static async Task<string> CreateAsync(string directory, IReadOnlyList<LocalPackage> packages, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var package in packages)
        {
            File.Copy(package.File, Path.Combine(directory, Path.GetFileName(package.File)), overwrite: true);
        }
        var index = (await ProcessRunner.RunAsync("dpkg-scanpackages", ["--multiversion", "."], new ProcessOptions(WorkingDirectory: directory), cancellationToken)).StandardOutput;
        var indexBytes = System.Text.Encoding.UTF8.GetBytes(index);
        await File.WriteAllBytesAsync(Path.Combine(directory, "Packages"), indexBytes, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "Release"),
            $"Origin: {InstalledPackage.LocalOrigin}\nLabel: {InstalledPackage.LocalOrigin}\nSHA256:\n {Convert.ToHexStringLower(SHA256.HashData(indexBytes))} {indexBytes.Length} Packages\n",
            cancellationToken);
        return directory;
    }
}
