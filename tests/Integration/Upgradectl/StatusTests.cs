using System.Text.Json;
using Appliance.Core.Boot;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

[Collection(SerialCollection.Name)]
public sealed class StatusTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Status_json_has_exactly_the_fields_docs_status_json_documents()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        await appliance.SucceedAsync("stage", (await TestImage.CreateAsync(appliance.Downloads, 2)).ImagePath, "--insecure-unsigned");
        await appliance.SucceedAsync("apply");
        await appliance.BootAsync(2, BootMode.Trial);
        await appliance.SucceedAsync("mark-good");

        var actual = await appliance.StatusAsync();

        var markdown = await File.ReadAllTextAsync(Path.Combine(Checkout.Root, "docs/status-json.md"));
        var start = markdown.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        using var documented = JsonDocument.Parse(markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)]);
        Assert.Equal(FieldPaths(documented.RootElement, ""), FieldPaths(actual, ""));
        Assert.Equal(1, actual.GetProperty("schema_version").GetInt32());
        Assert.Equal("confirmed", actual.GetProperty("boot_history")[0].GetProperty("outcome").GetString());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Status_names_the_step_an_interrupted_operation_stopped_at_in_its_text_form()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.RunWithFaultAsync("stage.verifying", "stage", second.ImagePath, "--insecure-unsigned");

        var text = (await appliance.SucceedAsync("status")).StandardOutput;

        Assert.Contains("stage 2 INTERRUPTED at step 'verifying'", text, StringComparison.Ordinal);
        Assert.Contains("2        partial", text, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Dispose();

    private static SortedSet<string> FieldPaths(JsonElement element, string prefix)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    paths.Add(prefix + property.Name);
                    paths.UnionWith(FieldPaths(property.Value, prefix + property.Name + "."));
                }
                break;
            case JsonValueKind.Array when element.GetArrayLength() > 0:
                paths.UnionWith(FieldPaths(element[0], prefix + "[]."));
                break;
        }
        return paths;
    }
}
