using System.Globalization;
using System.Text;

namespace Appliance.Bench.Fleet;

/// <summary>What one phase measured, as a JSON object (written by hand: numbers with a fixed number of decimals).</summary>
public sealed class PhaseResult
{
    public required IReadOnlyList<Sample> Samples { get; init; }
    public required double Seconds { get; init; }
    public required int Devices { get; init; }
    public required int Unanswered { get; init; }
    public required double ServerCpuSeconds { get; init; }
    public required double DatabaseCpuSeconds { get; init; }
    public required double GeneratorCpuSeconds { get; init; }
    public required string LoadAverageStart { get; init; }
    public required string LoadAverageEnd { get; init; }
    public IReadOnlyList<(double Start, int Ok, int Refused, int Errors, double P99)> Windows { get; init; } = [];
    public double? RecoveredAtSeconds { get; init; }

    public int Ok => Samples.Count(s => s.Status == 200);

    public int Refused => Samples.Count(s => s.Status == 429);

    public int Errors => Samples.Count(s => s.Status is not (200 or 429));

    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    public string ToJson()
    {
        var latencies = Samples.Where(s => s.Status != 0).Select(s => s.LatencyMs).Order().ToList();
        var okLatencies = Samples.Where(s => s.Status == 200).Select(s => s.LatencyMs).Order().ToList();
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"devices\": {Devices}, \"seconds\": {Seconds:F1}, \"requests\": {Samples.Count}, \"ok\": {Ok}, \"refused_429\": {Refused}, \"errors\": {Errors}, \"lost_reports\": {Unanswered}, ");
        json.Append(CultureInfo.InvariantCulture, $"\"check_ins_per_second\": {Ok / Seconds:F1}, \"requests_per_second\": {Samples.Count / Seconds:F1}, ");
        json.Append(CultureInfo.InvariantCulture, $"\"p50_ms\": {Percentile(latencies, 0.50):F1}, \"p99_ms\": {Percentile(latencies, 0.99):F1}, \"p999_ms\": {Percentile(latencies, 0.999):F1}, \"max_ms\": {(latencies.Count > 0 ? latencies[^1] : 0):F1}, ");
        json.Append(CultureInfo.InvariantCulture, $"\"ok_p50_ms\": {Percentile(okLatencies, 0.50):F1}, \"ok_p99_ms\": {Percentile(okLatencies, 0.99):F1}, \"ok_p999_ms\": {Percentile(okLatencies, 0.999):F1}, ");
        json.Append(CultureInfo.InvariantCulture, $"\"server_cpu_seconds\": {ServerCpuSeconds:F1}, \"database_cpu_seconds\": {DatabaseCpuSeconds:F1}, \"generator_cpu_seconds\": {GeneratorCpuSeconds:F1}, ");
        json.Append(CultureInfo.InvariantCulture, $"\"server_cpu_ms_per_request\": {(Samples.Count > 0 ? 1000 * ServerCpuSeconds / Samples.Count : 0):F2}, \"load_average_start\": \"{LoadAverageStart}\", \"load_average_end\": \"{LoadAverageEnd}\"");
        if (Windows.Count > 0)
        {
            json.Append(CultureInfo.InvariantCulture, $", \"recovered_at_seconds\": {(RecoveredAtSeconds is { } r ? r.ToString("F0", CultureInfo.InvariantCulture) : "null")}, \"windows_10s\": [");
            json.AppendJoin(", ", Windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"[{w.Start:F0}, {w.Ok}, {w.Refused}, {w.Errors}, {w.P99:F0}]")));
            json.Append(']');
        }
        return json.Append('}').ToString();
    }
}
