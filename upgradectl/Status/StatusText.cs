using System.Globalization;
using System.Text;

namespace Appliance.Upgradectl.Status;

/// <summary>The human-readable form of a status report.</summary>
public static class StatusText
{
    public static string Render(StatusReport report)
    {
        var text = new StringBuilder();
        var booted = report.Booted is { } b
            ? $"image {b.Version} ({b.Mode} boot), up {TimeSpan.FromSeconds(Math.Floor(b.UptimeSeconds)):c}"
            : "not an appliance boot";
        Line(text, $"Booted:        {booted}");
        var state = report.BootState;
        Line(text, $"Boot state:    default {Number(state.Default)}, previous {Number(state.Previous)}, trial {Number(state.Trial)} ({state.TrialTries} tries left), last failed trial {Number(state.TrialFailed)}");
        Line(text, $"Host space:    {report.Host.FreeBytes / (1024 * 1024)} MiB free of {report.Host.TotalBytes / (1024 * 1024)} MiB ({report.Host.Path})");
        Line(text, $"Last operation: {Describe(report)}");
        Line(text, "");
        text.Append(RenderImages(report.Images));
        Line(text, "");
        Line(text, "Boot history (newest last):");
        foreach (var boot in report.BootHistory.TakeLast(20))
        {
            Line(text, $"  {boot.Time:yyyy-MM-dd HH:mm:ss}Z  image {boot.Version,-5} {boot.Mode,-8} {boot.Outcome,-10} {boot.Detail}");
        }
        return text.ToString();
    }

    public static string RenderImages(IReadOnlyList<ImageStatus> images)
    {
        var text = new StringBuilder();
        Line(text, "VERSION  STATE    SIZE(MiB)  FLAGS");
        foreach (var image in images)
        {
            var flags = string.Join(",", new[] { (image.Booted, "booted"), (image.Default, "default"), (image.Previous, "previous") }.Where(f => f.Item1).Select(f => f.Item2));
            Line(text, string.Create(CultureInfo.InvariantCulture, $"{image.Version,-8} {image.State,-8} {image.SizeBytes / (1024 * 1024),9}  {flags}"));
        }
        return text.ToString();
    }

    private static string Describe(StatusReport report) => report.LastOperation switch
    {
        null => "none",
        { Result: null } op when report.OperationRunning => $"{op.Kind} {Number(op.Version)} running: {op.Step}",
        { Result: null } op => $"{op.Kind} {Number(op.Version)} INTERRUPTED at step '{op.Step}' (started {op.Started:u}); run it again to finish",
        var op => $"{op.Kind} {Number(op.Version)} {op.Result} at {op.Finished:u}{(op.Error is null ? "" : ": " + op.Error)}",
    };

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
