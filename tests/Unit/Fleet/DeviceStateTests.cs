using Appliance.Fleet.Storage;
using Appliance.Fleet.Web;
using Microsoft.Data.Sqlite;

namespace Appliance.Tests.Unit.Fleet;

/// <summary>The device state rule in SQL (an in-memory SQLite), and the encoding of every value put into a page.</summary>
public sealed class DeviceStateTests
{
    [Fact]
    public void Each_device_is_in_exactly_the_state_its_condition_names_in_every_combination_of_its_columns()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE devices (revoked_at INTEGER, rollback_to INTEGER, last_seen INTEGER, open_action_id TEXT);";
        // Every combination: revoked or not, a rollback or not, never seen / seen long ago / seen lately, an open action or not.
        foreach (var revoked in new[] { "NULL", "1" })
        {
            foreach (var rollback in new[] { "NULL", "3" })
            {
                foreach (var seen in new[] { "NULL", "100", "5000" })
                {
                    foreach (var action in new[] { "NULL", "'a-1'" })
                    {
                        command.CommandText += $"INSERT INTO devices VALUES ({revoked}, {rollback}, {seen}, {action});";
                    }
                }
            }
        }
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT rowid, {DeviceState.Sql}, {string.Join(", ", DeviceState.All.Select(DeviceState.Condition))} FROM devices";
        command.Parameters.AddWithValue("@silentBefore", 1000);
        using var reader = command.ExecuteReader();
        var states = new List<string>();
        while (reader.Read())
        {
            var state = reader.GetString(1);
            states.Add(state);
            var holding = DeviceState.All.Where((_, i) => reader.GetInt64(2 + i) == 1).ToList();
            Assert.Equal([state], holding);
        }
        Assert.Equal(24, states.Count);
        Assert.Equal([12, 4, 6, 1, 1], DeviceState.All.Reverse().Select(s => states.Count(x => x == s)));
    }

    [Fact]
    public void Every_value_in_a_page_is_encoded_and_only_markup_made_as_html_is_kept()
    {
        var hostile = "<script>alert(\"x\")</script> & 'y'";
        var cell = Html.Of($"<td title=\"{hostile}\">{hostile}</td>");
        Assert.Equal("<td title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;</td>",
            cell.Markup);
        Assert.Equal("<tr>" + cell.Markup + "</tr>", Html.Of($"<tr>{cell}</tr>").Markup);
        Assert.Equal("<p>1,5</p>", Html.Of($"<p>{1},{5}</p>").Markup);
    }
}
