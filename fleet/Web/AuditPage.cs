using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Web;

/// <summary>The audit log newest first, a page at a time, optionally of one subject (<c>rollout/3</c>, <c>device/d-...</c>).</summary>
public static class AuditPage
{
    public const int PageSize = 100;

    public static Html Render(string? subject, IReadOnlyList<AuditRow> entries, bool more) => Html.Of($"""
        <form method="get" action="{WebLayout.Root}/audit" id="filter">
        <label>subject <input type="text" name="subject" value="{subject ?? ""}" placeholder="rollout/1 or device/d-..."></label>
        <button type="submit">Show</button></form>
        {Table(entries)}
        {(more ? Html.Of($"""<p><a id="older" href="{WebLayout.Root}/audit?{WebFormat.Query(("subject", subject), ("before", entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))}">Older entries</a></p>""") : Html.Empty)}
        """);

    public static Html Table(IReadOnlyList<AuditRow> entries) =>
        entries.Count == 0 ? Html.Text("No entries.") : Html.Of($"""
            <table id="audit"><tr><th>#</th><th>time</th><th>actor</th><th>action</th><th>subject</th><th>reason</th><th>before</th><th>after</th></tr>
            {Html.Join(entries.Select(e => Html.Of($"""
                <tr><td>{e.Id}</td><td>{WebFormat.Time(e.Time)}</td><td>{e.Actor}</td><td>{e.Action}</td><td>{Subject(e.Subject)}</td>
                <td class="reason">{e.Reason ?? ""}</td><td><code>{e.Before ?? ""}</code></td><td><code>{e.After ?? ""}</code></td></tr>
                """)))}
            </table>
            """);

    /// <summary>Rollouts and devices link to their pages; other subjects (groups, tokens) are text.</summary>
    private static Html Subject(string subject)
    {
        var slash = subject.IndexOf('/', StringComparison.Ordinal);
        var (kind, id) = slash < 0 ? (subject, "") : (subject[..slash], subject[(slash + 1)..]);
        return kind is "rollout" or "device" && id.Length > 0
            ? Html.Of($"<a href=\"{WebLayout.Root}/{kind}s/{Uri.EscapeDataString(id)}\">{subject}</a>")
            : Html.Text(subject);
    }
}
