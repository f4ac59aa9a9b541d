using Appliance.Core.Errors;

namespace Appliance.ImageBuild.Building;

/// <summary>Project files (initramfs hook, boot script, systemd units) carried inside imagebuild itself.</summary>
public static class EmbeddedFile
{
    public static byte[] Read(string logicalName)
    {
        using var stream = typeof(EmbeddedFile).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new ApplianceException(ExitCode.InternalError, $"imagebuild was built without its resource '{logicalName}'.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
