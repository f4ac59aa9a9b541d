using Appliance.Core.Errors;
using Appliance.Core.Repository;

namespace Appliance.ImageBuild.Publishing;

/// <summary>A root document to give appliances as their trust anchor, checked to be a well-formed one before it is baked in.</summary>
public static class TrustRootFile
{
    public static byte[] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The trust root {path} does not exist (a repository's root/<N>.json).");
        }
        var bytes = File.ReadAllBytes(path);
        // An appliance refuses a root whose key ids, thresholds or roles are wrong: never bake one in.
        RepositoryVerifier.RequireWellFormed(RepositoryDocuments.ParseRoot(bytes, path), path);
        return bytes;
    }
}
