using Appliance.Fleet.Rollouts;

namespace Appliance.Fleet.Web;

/// <summary>
/// One rollout: its state and why (the halt reason), progress by ring against each ring's size, the failure rate
/// against the halt threshold, its devices by state (a page at a time), and the operator's actions.
/// </summary>
public static class RolloutPage
{
    public const int PageSize = 100;

    public static Html Render(WebRequest request, RolloutView view, string? flash)
    {
        var r = view.Rollout;
        var path = $"{WebLayout.Root}/rollouts/{r.Id}";
        return Html.Of($"""
            {WebLayout.Flash(flash)}
            <dl id="summary"><dt>release</dt><dd>{r.Version} on channel {r.Channel}</dd>
            <dt>state</dt><dd class="state-{r.State}" id="state">{r.State}</dd>
            <dt>why</dt><dd id="reason">{r.StateReason ?? "-"}</dd>
            <dt>policy</dt><dd>{r.Policy} (advance a ring at {r.AdvancePerMille} ‰ confirmed, at least {r.MinConfirmed}; silent {r.SilenceSeconds} s after a switch counts as failed)</dd>
            <dt>failure rate</dt><dd id="failure-rate">{r.Failed} failed of {r.Given} given = {WebFormat.PerMille(r.Failed, r.Given)};
              halts above {HaltRule.FailuresPerThousand} ‰, or at any failure in the canary ring
              <meter min="0" max="{2 * HaltRule.FailuresPerThousand}" high="{HaltRule.FailuresPerThousand}" value="{Rate(r.Failed, r.Given)}"></meter></dd>
            <dt>created</dt><dd>{WebFormat.Time(r.CreatedAt)}; updated {WebFormat.Time(r.UpdatedAt)}</dd></dl>
            <h2>Rings</h2>
            {Rings(view)}
            <h2>Actions</h2>
            {Actions(request, view, path)}
            <h2>Devices by state</h2>
            {States(view, path)}
            <h2 id="listed-heading">Devices {view.ListedState}</h2>
            {Listed(view, path)}
            <p><a href="{WebLayout.Root}/audit?{WebFormat.Query(("subject", RolloutEngine.RolloutSubject(r.Id)))}">Audit log of this rollout</a></p>
            """);
    }

    private static double Rate(long failed, long given) => given == 0 ? 0 : failed * 1000.0 / given;

    private static Html Rings(RolloutView view) => Html.Of($"""
        <table id="rings"><tr><th>ring</th><th>devices</th><th>given</th><th>confirmed</th><th>failed</th><th>failure rate</th><th>progress</th></tr>
        {Html.Join(view.Counters.Select(c => Html.Of($"""
            <tr{(c.Ring == view.Rollout.CurrentRing ? Html.Of($" class=\"current\"") : Html.Empty)}><th>{c.Ring + 1}: {(c.Ring == 0 ? 0 : view.Rings[c.Ring - 1])}–{view.Rings[c.Ring]} %{(c.Ring == view.Rollout.CurrentRing ? " (current)" : "")}</th>
            <td class="n">{WebFormat.Count(view.Members[c.Ring])}</td><td class="n">{WebFormat.Count(c.Given)}</td><td class="n">{WebFormat.Count(c.Confirmed)}</td>
            <td class="n">{WebFormat.Count(c.Failed)}</td><td class="n">{WebFormat.PerMille(c.Failed, c.Given)}</td>
            <td><progress max="{Math.Max(1, view.Members[c.Ring])}" value="{c.Confirmed}"></progress> {WebFormat.Percent(c.Confirmed, view.Members[c.Ring])} confirmed</td></tr>
            """)))}
        </table>
        """);

    private static Html Actions(WebRequest request, RolloutView view, string path)
    {
        var state = view.Rollout.State;
        var buttons = new List<Html>();
        if (state == RolloutState.Active)
        {
            buttons.Add(Button("pause", "Pause"));
        }
        if (state is RolloutState.Paused or RolloutState.Halted)
        {
            buttons.Add(Button("resume", "Resume"));
        }
        if (state != RolloutState.Aborted)
        {
            buttons.Add(Button("pull-back", "Pull back"));
            buttons.Add(Button("abort", "Abort"));
        }
        return buttons.Count == 0 ? Html.Text("None: the rollout is closed.") : Html.Of($"""
            <form method="post" id="rollout-action">{request.CsrfField}
            <label for="reason">Reason (goes to the audit log)</label> <input type="text" id="reason-input" name="reason" required maxlength="500">
            {Html.Join(buttons)}</form>
            <p>Pull back halts the rollout and tells every device on {view.Rollout.Version} or switching to it to go back to the version it came from.</p>
            """);

        Html Button(string action, string label) =>
            Html.Of($"""<button type="submit" id="{action}" formaction="{path}/{action}">{label}</button> """);
    }

    private static Html States(RolloutView view, string path)
    {
        var states = DeviceRolloutState.All;
        var cell = view.States.ToDictionary(s => (s.Ring, s.State), s => s.Devices);
        return Html.Of($"""
            <table id="device-states"><tr><th>ring</th>{Html.Join(states.Select(s => Html.Of($"<th><a href=\"{path}?state={s}\">{s}</a></th>")))}</tr>
            {Html.Join(view.Counters.Select(c => Html.Of($"""
                <tr><th>{c.Ring + 1}</th>{Html.Join(states.Select(s => Html.Of($"<td class=\"n\">{WebFormat.Count(cell.GetValueOrDefault((c.Ring, s)))}</td>")))}</tr>
                """)))}
            </table>
            """);
    }

    private static Html Listed(RolloutView view, string path) =>
        view.Listed.Count == 0 ? Html.Text("None.") : Html.Of($"""
            <table id="listed"><tr><th>device</th><th>ring</th><th>from version</th><th>detail</th><th>since</th></tr>
            {Html.Join(view.Listed.Select(d => Html.Of($"""
                <tr><td><a href="{WebLayout.Root}/devices/{Uri.EscapeDataString(d.DeviceId)}">{d.DeviceId}</a></td><td>{d.Ring + 1}</td>
                <td>{WebFormat.Version(d.FromVersion)}</td><td>{d.Detail ?? ""}</td><td>{WebFormat.Time(d.UpdatedAt)}</td></tr>
                """)))}
            </table>
            {(view.More ? Html.Of($"""<p><a id="next" href="{path}?{WebFormat.Query(("state", view.ListedState), ("after", view.Listed[^1].DeviceId))}">Next {PageSize}</a></p>""") : Html.Empty)}
            """);
}
