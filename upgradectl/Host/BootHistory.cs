using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Upgradectl.Host;

/// <summary>One line per boot outcome on the host partition, like tuptime for images. Appended and fsynced.</summary>
public sealed class BootHistory(HostLayout layout)
{
    public void Append(BootRecord record)
    {
        Directory.CreateDirectory(layout.StateDirectory);
        using var stream = new FileStream(layout.BootHistory, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, BootHistoryJsonContext.Default.BootRecord) + "\n"));
        stream.Flush(flushToDisk: true);
    }

    public IReadOnlyList<BootRecord> Read() =>
        !File.Exists(layout.BootHistory)
            ? []
            : File.ReadLines(layout.BootHistory)
                .Where(line => line.StartsWith('{'))
                .Select(line => JsonSerializer.Deserialize(line, BootHistoryJsonContext.Default.BootRecord))
                .OfType<BootRecord>()
                .ToList();
}

/// <param name="Outcome">confirmed, rejected, healthy, unhealthy.</param>
public sealed record BootRecord(DateTimeOffset Time, int Version, string Mode, string Outcome, string Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BootRecord))]
internal sealed partial class BootHistoryJsonContext : JsonSerializerContext;
