using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Web;

/// <summary>Devices a page at a time (keyset paging by id), filtered by group, version and state.</summary>
public static class DevicesPage
{
    public const int PageSize = 100;

    public static Html Render(DeviceFilter filter, IReadOnlyList<DeviceSummaryRow> devices, bool more)
    {
        var next = more
            ? Html.Of($"""<p><a id="next" href="{Path(filter, devices[^1].Id)}">Next {PageSize}</a></p>""")
            : Html.Empty;
        return Html.Of($"""
            <form method="get" action="{WebLayout.Root}/devices" id="filter">
            <label>group <input type="text" name="group" value="{filter.Group ?? ""}"></label>
            <label>version <input type="number" name="version" min="1" value="{filter.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}"></label>
            <label>state <select name="state"><option value="">any</option>{Html.Join(DeviceState.All.Select(s =>
                Html.Of($"<option{(s == filter.State ? Html.Of($" selected") : Html.Empty)}>{s}</option>")))}</select></label>
            <button type="submit">Show</button></form>
            {(devices.Count == 0 ? Html.Text("No devices.") : Table(devices))}
            {next}
            """);
    }

    /// <summary>The list's address for a filter (and the page after a device).</summary>
    public static string Path(DeviceFilter filter, string? after)
    {
        var query = WebFormat.Query(("group", filter.Group), ("version", filter.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("state", filter.State), ("after", after));
        return WebLayout.Root + "/devices" + (query.Length == 0 ? "" : "?" + query);
    }

    private static Html Table(IReadOnlyList<DeviceSummaryRow> devices) => Html.Of($"""
        <table id="devices"><tr><th>device</th><th>hostname</th><th>group</th><th>version</th><th>state</th><th>last seen</th></tr>
        {Html.Join(devices.Select(d => Html.Of($"""
            <tr><td><a href="{WebLayout.Root}/devices/{Uri.EscapeDataString(d.Id)}">{d.Id}</a></td><td>{d.Hostname}</td><td>{d.GroupName}</td>
            <td>{WebFormat.Version(d.Version)}</td><td>{d.State}</td><td>{WebFormat.Time(d.LastSeen)}</td></tr>
            """)))}
        </table>
        """);
}
