using System.Globalization;
using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Web;

/// <summary>The fleet at a glance: devices per version and state (one aggregate query), and every rollout.</summary>
public static class OverviewPage
{
    public static Html Render(IReadOnlyList<VersionStateCount> counts, IReadOnlyList<RolloutRow> rollouts)
    {
        var versions = counts.Select(c => c.Version).Distinct().OrderByDescending(v => v ?? int.MinValue).ToList();
        var cell = counts.ToDictionary(c => (c.Version, c.State), c => c.Devices);
        var rows = versions.Select(version => Html.Of($"""
            <tr><th>{WebFormat.Version(version)}</th>{Html.Join(DeviceState.All.Select(state => Count(version, state, cell.GetValueOrDefault((version, state)))))}
            <td class="n">{Link(version, null, counts.Where(c => c.Version == version).Sum(c => c.Devices))}</td></tr>
            """));
        var totals = Html.Join(DeviceState.All.Select(state =>
            Html.Of($"<td class=\"n\">{Link(null, state, counts.Where(c => c.State == state).Sum(c => c.Devices))}</td>")));
        return Html.Of($"""
            <h2>Devices per version and state</h2>
            <table id="versions"><tr><th>version</th>{Html.Join(DeviceState.All.Select(s => Html.Of($"<th>{s}</th>")))}<th>all</th></tr>
            {Html.Join(rows)}
            <tr><th>all</th>{totals}<td class="n" id="total">{Link(null, null, counts.Sum(c => c.Devices))}</td></tr></table>
            <p>Silent: not seen for {DeviceState.SilentAfterIntervals} check-in intervals. Busy: an action handed out and not yet reported.</p>
            <h2>Rollouts</h2>
            {(rollouts.Count == 0 ? Html.Text("No rollouts yet.") : RolloutTable(rollouts))}
            """);
    }

    private static Html RolloutTable(IReadOnlyList<RolloutRow> rollouts) => Html.Of($"""
        <table id="rollouts"><tr><th>rollout</th><th>channel</th><th>version</th><th>state</th><th>ring</th><th>given</th><th>confirmed</th><th>failed</th><th>why</th><th>updated</th></tr>
        {Html.Join(rollouts.OrderByDescending(r => r.Id).Select(r => Html.Of($"""
            <tr><td><a href="{WebLayout.Root}/rollouts/{r.Id}">{r.Id}</a></td><td>{r.Channel}</td><td>{r.Version}</td>
            <td class="state-{r.State}">{r.State}</td><td>{r.CurrentRing + 1} of {r.Rings.Split(',').Length} ({r.Rings} %)</td>
            <td class="n">{WebFormat.Count(r.Given)}</td><td class="n">{WebFormat.Count(r.Confirmed)}</td><td class="n">{WebFormat.Count(r.Failed)}</td>
            <td>{r.StateReason ?? ""}</td><td>{WebFormat.Time(r.UpdatedAt)}</td></tr>
            """)))}
        </table>
        """);

    // Devices that never reported a version cannot be filtered by it: their counts are not links.
    private static Html Count(int? version, string state, long devices) =>
        Html.Of($"<td class=\"n\">{(version is null ? Html.Text(WebFormat.Count(devices)) : Link(version, state, devices))}</td>");

    private static Html Link(int? version, string? state, long devices) =>
        devices == 0 ? Html.Text("0")
            : Html.Of($"""<a href="{DevicesPage.Path(new DeviceFilter(null, version, state), null)}">{WebFormat.Count(devices)}</a>""");
}
