using System.Text.RegularExpressions;
using Appliance.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Appliance.Core.Specs;

/// <summary>Parses and validates an image spec; every problem is reported with the spec's name and the field.</summary>
public static partial class ImageSpecParser
{
    public const int MinimumImageSizeMiB = 256;

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static ImageSpec Parse(string yaml, string origin)
    {
        ImageSpecDocument? document;
        try
        {
            document = Deserializer.Deserialize<ImageSpecDocument>(yaml);
        }
        catch (YamlException e)
        {
            throw Invalid(origin, $"line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        if (document is null)
        {
            throw Invalid(origin, "the spec is empty");
        }

        var name = Required(document.Name, "name", origin);
        if (!NamePattern().IsMatch(name))
        {
            throw Invalid(origin, $"name '{name}' must be lower-case letters, digits and dashes");
        }
        var suite = Required(document.Suite, "suite", origin);
        var mirror = RepositoryUrl(Required(document.Mirror, "mirror", origin), "mirror", origin);
        var packages = document.Packages ?? [];
        foreach (var package in packages)
        {
            if (!PackagePattern().IsMatch(package))
            {
                throw Invalid(origin, $"'{package}' is not a Debian package name");
            }
        }
        var aptSources = (document.AptSources ?? []).Select((source, index) => ParseSource(source, index, origin)).ToList();
        var localPackages = document.LocalPackages ?? [];
        if (localPackages.Any(string.IsNullOrWhiteSpace))
        {
            throw Invalid(origin, "local_packages has an empty entry");
        }
        var carryOver = document.CarryOver ?? [];
        foreach (var path in carryOver)
        {
            if (!path.StartsWith('/') || path.Split('/').Contains(".."))
            {
                throw Invalid(origin, $"carry_over path '{path}' must be absolute and must not contain '..'");
            }
        }
        var size = document.ImageSizeMib ?? throw Invalid(origin, "image_size_mib is required");
        if (size < MinimumImageSizeMiB)
        {
            throw Invalid(origin, $"image_size_mib {size} is below the minimum of {MinimumImageSizeMiB}");
        }
        var hostname = document.Hostname ?? name;
        if (!NamePattern().IsMatch(hostname))
        {
            throw Invalid(origin, $"hostname '{hostname}' is not a valid host name");
        }

        return new ImageSpec(
            name,
            suite,
            mirror,
            document.Variant ?? "minbase",
            document.Components is { Count: > 0 } components ? components : ["main"],
            packages,
            aptSources,
            localPackages,
            document.Overlays ?? [],
            carryOver,
            size,
            hostname);
    }

    private static AptSource ParseSource(AptSourceDocument? source, int index, string origin)
    {
        var field = $"apt_sources[{index}]";
        if (source is null)
        {
            throw Invalid(origin, $"{field} is empty");
        }
        var uri = RepositoryUrl(Required(source.Uri, field + ".uri", origin), field + ".uri", origin);
        var suites = source.Suites is { Count: > 0 } given ? given : throw Invalid(origin, $"{field}.suites is required");
        var components = source.Components is { Count: > 0 } listed ? listed : ["main"];
        foreach (var word in suites.Concat(components))
        {
            if (!AptWordPattern().IsMatch(word))
            {
                throw Invalid(origin, $"{field}: '{word}' is not a suite or component name");
            }
        }
        if (source.Keyring is { } keyring && string.IsNullOrWhiteSpace(keyring))
        {
            throw Invalid(origin, $"{field}.keyring is empty");
        }
        return new AptSource(uri, suites, components, source.Keyring);
    }

    private static Uri RepositoryUrl(string text, string field, string origin) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file"
            ? uri
            : throw Invalid(origin, $"{field} '{text}' is not an http(s) or file URL");

    private static string Required(string? value, string field, string origin) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(origin, $"{field} is required") : value;

    private static ApplianceException Invalid(string origin, string problem) =>
        new(ExitCode.InvalidInput, $"Invalid image spec {origin}: {problem}.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackagePattern();

    [GeneratedRegex("^[A-Za-z0-9./][A-Za-z0-9._/+-]*$")]
    private static partial Regex AptWordPattern();
}
