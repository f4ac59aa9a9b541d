using System.Text.Json;

namespace Appliance.Fleet.Operator;

/// <summary>The text form of an answer: a table of chosen columns for lists, <c>key: value</c> lines for one object.</summary>
public static class TextOutput
{
    public static void Print(JsonElement answer, IReadOnlyList<string> columns, TextWriter output)
    {
        if (answer.ValueKind == JsonValueKind.Array)
        {
            var rows = answer.EnumerateArray().Select(item => columns.Select(c => Cell(item, c)).ToList()).ToList();
            var widths = columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToList();
            output.WriteLine(string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            foreach (var row in rows)
            {
                output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            }
            return;
        }
        foreach (var property in answer.EnumerateObject())
        {
            output.WriteLine($"{property.Name}: {Value(property.Value)}");
        }
    }

    private static string Cell(JsonElement item, string column) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(column, out var value) ? Value(value) : "";

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "-",
        _ => value.GetRawText(),
    };
}
