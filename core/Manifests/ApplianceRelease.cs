using System.Globalization;
using System.Text;

namespace Appliance.Core.Manifests;

/// <summary>The contents of <c>/etc/appliance-release</c> inside an image, in os-release(5) syntax.</summary>
public sealed record ApplianceRelease(int Version, string SpecName, long SourceDateEpoch, string? GitTag)
{
    public const string PathInImage = "etc/appliance-release";

    public string Render()
    {
        var buildTime = DateTimeOffset.FromUnixTimeSeconds(SourceDateEpoch).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"APPLIANCE_VERSION={Version}\n")
            .Append(CultureInfo.InvariantCulture, $"APPLIANCE_SPEC={SpecName}\n")
            .Append(CultureInfo.InvariantCulture, $"BUILD_TIME={buildTime}\n")
            .Append(CultureInfo.InvariantCulture, $"SOURCE_DATE_EPOCH={SourceDateEpoch}\n")
            .Append(CultureInfo.InvariantCulture, $"GIT_TAG={GitTag ?? ""}\n");
        return text.ToString();
    }
}
