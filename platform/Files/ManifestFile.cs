using Appliance.Core.Manifests;

namespace Appliance.Platform.Files;

/// <summary>Reads an image manifest file; a malformed one is refused with its path named.</summary>
public static class ManifestFile
{
    public static ImageManifest Read(string path) => ManifestSerializer.Deserialize(File.ReadAllBytes(path), path);
}
