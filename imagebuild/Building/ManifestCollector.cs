using Appliance.Core.Errors;
using Appliance.Core.Manifests;

namespace Appliance.ImageBuild.Building;

/// <summary>Reads what the manifest says about an image from the tree it was made of.</summary>
public static class ManifestCollector
{
    public static ImageManifest Collect(BuildRequest request, string tree, long sizeBytes, string sha256, IReadOnlyDictionary<string, string> origins)
    {
        var kernels = Directory.GetFiles(Path.Combine(tree, "boot"), "vmlinuz-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (kernels.Count == 0 || !Path.Exists(Path.Combine(tree, "vmlinuz")) || !Path.Exists(Path.Combine(tree, "initrd.img")))
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                "The image has no kernel: /vmlinuz, /initrd.img and /boot/vmlinuz-* must exist (does the spec install linux-image-amd64?).");
        }
        var kernelVersion = ResolveLink(tree, "vmlinuz") is { } target ? Path.GetFileName(target)["vmlinuz-".Length..] : kernels[^1]!["vmlinuz-".Length..];
        return new ImageManifest(
            request.Version.Number,
            request.Spec.Name,
            sizeBytes,
            sha256,
            request.Spec.FilesystemUuid.ToString(),
            kernelVersion,
            OsReleaseParser.Parse(File.ReadAllText(Path.Combine(tree, "usr/lib/os-release"))),
            DpkgStatusParser.Parse(File.ReadAllText(Path.Combine(tree, "var/lib/dpkg/status"))).Select(p => p with { Origin = origins.GetValueOrDefault(p.Name) }).ToList(),
            request.BaseImage is null ? null : BaseVersionOf(request.BaseImage),
            request.SourceDateEpoch,
            request.GitTag,
            request.Spec.CarryOver);
    }

    private static string? ResolveLink(string tree, string name) => new FileInfo(Path.Combine(tree, name)).LinkTarget;

    private static int? BaseVersionOf(string baseImage) =>
        Core.Images.ImageVersion.TryParseImageFileName(Path.GetFileName(baseImage), out var version) ? version.Number : null;
}
