using System.CommandLine;
using System.Text.Json;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Status;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl status [--json]</c> and <c>upgradectl list [--json]</c>: read-only, they never take the lock.</summary>
public static class StatusCommand
{
    public static Command Create() => Build("status", "Show the booted image, the images present, the boot state, the last operation and the boot history", full: true);

    public static Command CreateList() => Build("list", "List the images on the host partition and their states", full: false);

    private static Command Build(string name, string description, bool full)
    {
        var options = new CommonOptions();
        var json = new Option<bool>("--json") { Description = "One JSON document (see docs/status-json.md)" };
        var command = new Command(name, description) { json };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            var running = await HostLock.IsHeldAsync(layout, cancellationToken);
            var report = StatusCollector.Collect(layout, options.BootedIfAny(parse), running);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, StatusJsonContext.Default.StatusReport));
                return;
            }
            await Console.Out.WriteAsync(full ? StatusText.Render(report) : StatusText.RenderImages(report.Images));
        });
        return command;
    }
}
