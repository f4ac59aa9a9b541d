using Appliance.Core.Errors;
using Appliance.Core.Repository;

namespace Appliance.ImageBuild.Publishing;

/// <summary>A root document to give appliances as their trust anchor, checked to be one before it is baked in.</summary>
public static class TrustRootFile
{
    public static byte[] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The trust root {path} does not exist (a repository's root/<N>.json).");
        }
        var bytes = File.ReadAllBytes(path);
        RepositoryDocuments.ParseRoot(bytes, path);
        return bytes;
    }
}
