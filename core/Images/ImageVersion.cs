using System.Globalization;
using Appliance.Core.Errors;

namespace Appliance.Core.Images;

/// <summary>
/// One number names every byte of a release (e.g. 415). Image files are named after it.
/// </summary>
public readonly record struct ImageVersion(int Number) : IComparable<ImageVersion>
{
    public const string ImageExtension = ".img";
    public const string ManifestExtension = ".manifest.json";

    public string ImageFileName => Number.ToString(CultureInfo.InvariantCulture) + ImageExtension;

    public string ManifestFileName => Number.ToString(CultureInfo.InvariantCulture) + ManifestExtension;

    public static ImageVersion Parse(string text)
    {
        if (!TryParse(text, out var version))
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"'{text}' is not an image version: expected a positive whole number such as 415.");
        }
        return version;
    }

    public static bool TryParse(string? text, out ImageVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text) || text.Length > 9 || !text.All(char.IsAsciiDigit) || text[0] == '0')
        {
            return false;
        }
        version = new ImageVersion(int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Parses a release tag such as <c>v415</c>.</summary>
    public static ImageVersion FromTag(string tag)
    {
        var number = tag.StartsWith('v') ? tag[1..] : tag;
        if (!TryParse(number, out var version))
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Release tag '{tag}' does not name a version: expected v<N>, e.g. v415.");
        }
        return version;
    }

    /// <summary>Recognises <c>&lt;N&gt;.img</c> file names; anything else is not a finished image.</summary>
    public static bool TryParseImageFileName(string fileName, out ImageVersion version)
    {
        version = default;
        return fileName.EndsWith(ImageExtension, StringComparison.Ordinal)
            && TryParse(fileName[..^ImageExtension.Length], out version);
    }

    public int CompareTo(ImageVersion other) => Number.CompareTo(other.Number);

    public static bool operator <(ImageVersion left, ImageVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ImageVersion left, ImageVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ImageVersion left, ImageVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ImageVersion left, ImageVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture);
}
