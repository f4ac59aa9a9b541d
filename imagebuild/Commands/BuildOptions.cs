using System.CommandLine;
using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.ImageBuild.Commands;

/// <summary>The options shared by <c>build</c> and <c>release</c>, and how they become a <see cref="BuildRequest"/>.</summary>
public sealed class BuildOptions
{
    public Option<string?> Spec { get; } = new("--spec") { Description = "Image spec (YAML); default: the built-in minimal appliance" };

    public Option<string> Cache { get; } = new("--cache")
    {
        Description = "Directory that keeps downloaded packages between builds",
        DefaultValueFactory = _ => "/var/cache/appliance-imagebuild/debs",
    };

    public Option<long?> SourceDateEpoch { get; } = new("--source-date-epoch")
    {
        Description = "Build time recorded in the image; default: $SOURCE_DATE_EPOCH",
    };

    public Option<string> Upgradectl { get; } = new("--upgradectl")
    {
        Description = "upgradectl single-file binary to install; default: next to imagebuild",
        DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "upgradectl"),
    };

    public Option<string?> TrustRoot { get; } = new("--trust-root")
    {
        Description = "Repository root/<N>.json to bake into the image as the root it trusts (/etc/appliance/trust/root.json)",
    };

    public Option<string?> PinFrom { get; } = new("--pin-from")
    {
        Description = "Earlier <N>.manifest.json: install exactly its package versions (fails if one is no longer available)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(PinFrom);
        command.Options.Add(TrustRoot);
        command.Options.Add(Spec);
        command.Options.Add(Cache);
        command.Options.Add(SourceDateEpoch);
        command.Options.Add(Upgradectl);
    }

    public BuildRequest ToRequest(ParseResult parse, ImageVersion version, string? baseImage, string outputDirectory, string? gitTag)
    {
        var (spec, specDirectory) = SpecLoader.Load(parse.GetValue(Spec));
        return new BuildRequest(spec, specDirectory, version, baseImage, outputDirectory, parse.GetValue(Cache)!,
            ResolveSourceDateEpoch(parse.GetValue(SourceDateEpoch)), gitTag, parse.GetValue(Upgradectl)!, parse.GetValue(TrustRoot),
            parse.GetValue(PinFrom) is { } pinFrom ? ReadPins(pinFrom) : null);
    }

    private static IReadOnlyList<InstalledPackage> ReadPins(string manifest) =>
        File.Exists(manifest)
            ? ManifestFile.Read(manifest).Packages
            : throw new ApplianceException(ExitCode.NotFound, $"The manifest {manifest} given to --pin-from does not exist.");

    private static long ResolveSourceDateEpoch(long? option)
    {
        if (option is { } value)
        {
            return value;
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (fromEnvironment is null)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Log.Warning("SOURCE_DATE_EPOCH is not set: using the current time {Epoch}; this build is not reproducible", now);
            return now;
        }
        return long.TryParse(fromEnvironment, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ApplianceException(ExitCode.InvalidInput, $"SOURCE_DATE_EPOCH '{fromEnvironment}' is not a number of seconds.");
    }
}
