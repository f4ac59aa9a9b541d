using System.Globalization;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;

namespace Appliance.Tests.Support;

/// <summary>An <c>N.img</c> of compressible test bytes with a matching <c>N.manifest.json</c>: enough to publish, no ext4 needed.</summary>
public static class FakeImage
{
    public static async Task<string> WriteAsync(string directory, int version, int sizeBytes = 4 << 20)
    {
        var image = Path.Combine(directory, version.ToString(CultureInfo.InvariantCulture) + ".img");
        await File.WriteAllBytesAsync(image, [.. Enumerable.Range(0, sizeBytes).Select(i => (byte)(i / 4096 * 7 + version))]);
        var manifest = new ImageManifest(version, "test", sizeBytes, await Sha256File.ComputeAsync(image, CancellationToken.None), "uuid", "6.1.0",
            new Dictionary<string, string>(), [], null, 0, null, []);
        await File.WriteAllBytesAsync(Path.Combine(directory, version.ToString(CultureInfo.InvariantCulture) + ".manifest.json"), ManifestSerializer.Serialize(manifest));
        return image;
    }
}
