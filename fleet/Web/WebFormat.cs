using System.Globalization;

namespace Appliance.Fleet.Web;

/// <summary>How pages write times, versions and rates: one way everywhere, culture-invariant.</summary>
public static class WebFormat
{
    public static string Time(long? unixMilliseconds) => unixMilliseconds is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
        : "never";

    public static string Version(int? version) => version?.ToString(CultureInfo.InvariantCulture) ?? "none reported";

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Failures per thousand of those given the release, to two places.</summary>
    public static string PerMille(long failed, long given) =>
        given == 0 ? "-" : (failed * 1000.0 / given).ToString("0.00", CultureInfo.InvariantCulture) + " ‰";

    public static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (part * 100.0 / whole).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    public static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join("&", parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
}
