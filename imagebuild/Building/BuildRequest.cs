using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Core.Specs;

namespace Appliance.ImageBuild.Building;

/// <param name="SpecDirectory">Where relative overlay paths of the spec are resolved.</param>
/// <param name="BaseImage">The previous image whose layout the new one keeps; null for a fresh build.</param>
/// <param name="CacheDirectory">Where downloaded .deb files are kept between builds.</param>
/// <param name="UpgradectlBinary">The self-contained upgradectl executable copied into the image.</param>
/// <param name="TrustRoot">A repository root document baked into the image as the root it trusts; null: none.</param>
/// <param name="PinnedPackages">Exact package versions to install (an earlier manifest's); null: the newest the spec's sources have.</param>
public sealed record BuildRequest(
    ImageSpec Spec,
    string SpecDirectory,
    ImageVersion Version,
    string? BaseImage,
    string OutputDirectory,
    string CacheDirectory,
    long SourceDateEpoch,
    string? GitTag,
    string UpgradectlBinary,
    string? TrustRoot = null,
    IReadOnlyList<InstalledPackage>? PinnedPackages = null);
