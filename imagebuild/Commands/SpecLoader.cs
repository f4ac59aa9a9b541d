using System.Text;
using Appliance.Core.Errors;
using Appliance.Core.Specs;
using Appliance.ImageBuild.Building;

namespace Appliance.ImageBuild.Commands;

/// <summary>Loads the spec named by --spec, or the default appliance spec built into imagebuild.</summary>
public static class SpecLoader
{
    public static (ImageSpec Spec, string Directory) Load(string? path)
    {
        if (path is null)
        {
            return (ImageSpecParser.Parse(Encoding.UTF8.GetString(EmbeddedFile.Read("specs/appliance.yaml")), "(built-in default)"), Environment.CurrentDirectory);
        }
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound, $"Image spec {path} does not exist.");
        }
        return (ImageSpecParser.Parse(File.ReadAllText(path), path), Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
