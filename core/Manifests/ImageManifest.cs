namespace Appliance.Core.Manifests;

/// <summary>
/// Describes one finished image file: written next to it as <c>&lt;N&gt;.manifest.json</c> and later signed
/// into the release repository. Every field comes from the image itself or the build inputs, so two
/// builds of the same inputs produce the same manifest.
/// </summary>
public sealed record ImageManifest(
    int Version,
    string SpecName,
    long SizeBytes,
    string Sha256,
    string FilesystemUuid,
    string KernelVersion,
    IReadOnlyDictionary<string, string> OsRelease,
    IReadOnlyList<InstalledPackage> Packages,
    int? BaseVersion,
    long SourceDateEpoch,
    string? GitTag,
    IReadOnlyList<string> CarryOver);
