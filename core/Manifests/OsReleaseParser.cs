namespace Appliance.Core.Manifests;

/// <summary>Reads the KEY=value format of os-release(5).</summary>
public static class OsReleaseParser
{
    public static SortedDictionary<string, string> Parse(string text)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || equals <= 0)
            {
                continue;
            }
            var value = line[(equals + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            values[line[..equals]] = value;
        }
        return values;
    }
}
