using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Web;

/// <summary>One device: its status, its boot history as it reported it, its actions and rollouts, its audit entries, and a forced rollback.</summary>
public static class DevicePage
{
    public const int AuditEntries = 20;
    public const int ActionEntries = 20;

    public static Html Render(WebRequest request, DeviceView view, string? flash)
    {
        var d = view.Device;
        var status = DeviceStatus.Parse(d.StatusJson);
        var path = $"{WebLayout.Root}/devices/{Uri.EscapeDataString(d.Id)}";
        return Html.Of($"""
            {WebLayout.Flash(flash)}
            <dl id="status"><dt>hostname</dt><dd>{d.Hostname}</dd><dt>group</dt><dd><a href="{DevicesPage.Path(new DeviceFilter(d.GroupName), null)}">{d.GroupName}</a></dd>
            <dt>version</dt><dd id="version">{WebFormat.Version(d.Version)}{(d.UnknownVersion is { } unknown ? $" (unknown to the fleet: {unknown})" : "")}</dd>
            <dt>booted</dt><dd>{status?.Booted ?? "-"} ({status?.Mode ?? "-"})</dd>
            <dt>boot state</dt><dd>default {status?.Default ?? "-"}, previous {status?.Previous ?? "-"}, trial {status?.Trial ?? "-"}, trial failed {status?.TrialFailed ?? "-"}</dd>
            <dt>host partition</dt><dd>{status?.HostFree ?? "-"}</dd>
            <dt>last seen</dt><dd>{WebFormat.Time(d.LastSeen)} (sequence {d.LastSequence})</dd>
            <dt>enrolled</dt><dd>{WebFormat.Time(d.EnrolledAt)}</dd>
            <dt>revoked</dt><dd>{(d.RevokedAt is null ? "no" : WebFormat.Time(d.RevokedAt))}</dd>
            <dt>rollback pending</dt><dd id="rollback-pending">{(d.RollbackTo is { } to ? $"to {to}: {d.RollbackReason}" : "no")}</dd>
            <dt>open action</dt><dd>{d.OpenActionId ?? "none"}</dd></dl>
            <h2>Forced rollback</h2>
            <form method="post" action="{path}/rollback" id="rollback">{request.CsrfField}
            <label>to version <input type="number" id="rollback-to" name="to" min="1" required value="{status?.Previous ?? ""}"></label>
            <label>reason <input type="text" id="rollback-reason" name="reason" required maxlength="500"></label>
            <button type="submit" id="force-rollback">Roll back</button></form>
            <p>The device goes to that version at its next check-in; rollouts leave it alone from then on.</p>
            <h2>Boot history</h2>
            {BootHistory(status)}
            <h2>Actions</h2>
            {Actions(view.Actions)}
            <h2>Rollouts</h2>
            {Rollouts(view.Rollouts)}
            <h2>Audit log</h2>
            {AuditPage.Table(view.Audit)}
            <p><a href="{WebLayout.Root}/audit?{WebFormat.Query(("subject", RolloutEngine.DeviceSubject(d.Id)))}">All entries of this device</a></p>
            """);
    }

    private static Html BootHistory(DeviceStatus? status) =>
        status is null || status.BootHistory.Count == 0 ? Html.Text("None reported.") : Html.Of($"""
            <table id="boot-history"><tr><th>time</th><th>version</th><th>mode</th><th>outcome</th><th>detail</th></tr>
            {Html.Join(status.BootHistory.Select(b => Html.Of($"""
                <tr><td>{b.Time ?? "-"}</td><td>{b.Version ?? "-"}</td><td>{b.Mode ?? "-"}</td><td class="state-{b.Outcome ?? ""}">{b.Outcome ?? "-"}</td><td>{b.Detail ?? ""}</td></tr>
                """)))}
            </table>
            """);

    private static Html Actions(IReadOnlyList<ActionRow> actions) =>
        actions.Count == 0 ? Html.Text("None.") : Html.Of($"""
            <table id="actions"><tr><th>handed out</th><th>kind</th><th>version</th><th>rollout</th><th>reason</th><th>result</th><th>message</th><th>finished</th></tr>
            {Html.Join(actions.Select(a => Html.Of($"""
                <tr><td>{WebFormat.Time(a.CreatedAt)}</td><td>{a.Kind}</td><td>{a.Version}</td>
                <td>{(a.RolloutId is { } id ? Html.Of($"<a href=\"{WebLayout.Root}/rollouts/{id}\">{id}</a>") : Html.Text("-"))}</td>
                <td>{a.Reason ?? ""}</td><td>{a.Result ?? "pending"}{(a.ExitCode is { } code ? $" ({code})" : "")}</td><td>{a.Message ?? ""}</td><td>{(a.FinishedAt is null ? "-" : WebFormat.Time(a.FinishedAt))}</td></tr>
                """)))}
            </table>
            """);

    private static Html Rollouts(IReadOnlyList<RolloutDeviceRow> rollouts) =>
        rollouts.Count == 0 ? Html.Text("None.") : Html.Of($"""
            <table id="memberships"><tr><th>rollout</th><th>ring</th><th>state</th><th>from version</th><th>detail</th><th>since</th></tr>
            {Html.Join(rollouts.Select(r => Html.Of($"""
                <tr><td><a href="{WebLayout.Root}/rollouts/{r.RolloutId}">{r.RolloutId}</a></td><td>{r.Ring + 1}</td><td class="state-{r.State}">{r.State}</td>
                <td>{WebFormat.Version(r.FromVersion)}</td><td>{r.Detail ?? ""}</td><td>{WebFormat.Time(r.UpdatedAt)}</td></tr>
                """)))}
            </table>
            """);
}
