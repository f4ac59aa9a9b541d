namespace Appliance.Tests.Support;

/// <summary>Paths in the checkout: the published executables (scripts/build) and the specs.</summary>
public static class Checkout
{
    public static string Root { get; } = FindRoot();

    public static string ImageBuild => Published("imagebuild");

    public static string Upgradectl => Published("upgradectl");

    public static string Distributor => Published("distributor");

    public static string Fleet => Published("fleet");

    public static string DefaultSpec => Path.Combine(Root, "specs/appliance.yaml");

    /// <summary>The demo's product spec: the default appliance plus the example product's .deb from <see cref="ProductDebs"/>.</summary>
    public static string ProductSpec => Path.Combine(Root, "specs/demo.yaml");

    /// <summary>The example product's packages (scripts/build-debs).</summary>
    public static string ProductDebs => Path.Combine(Root, "artifacts/debs");

    public static string DebCache => Environment.GetEnvironmentVariable("APPLIANCE_DEB_CACHE") ?? "/var/cache/appliance-imagebuild/debs";

    private static string Published(string name)
    {
        var path = Path.Combine(Root, "artifacts/bin", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run scripts/build (scripts/test does) first.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Appliance.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (Appliance.sln) above " + AppContext.BaseDirectory);
    }
}
