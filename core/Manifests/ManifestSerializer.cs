using System.Text;
using System.Text.Json;
using Appliance.Core.Errors;

namespace Appliance.Core.Manifests;

/// <summary>Stable JSON for manifests: same manifest, same bytes.</summary>
public static class ManifestSerializer
{
    public static byte[] Serialize(ImageManifest manifest) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, ManifestJsonContext.Default.ImageManifest) + "\n");

    public static ImageManifest Deserialize(ReadOnlySpan<byte> json, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ImageManifest)
                ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Manifest {origin} is not valid: {e.Message}", e);
        }
    }
}
