using System.CommandLine;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Agent;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl agent [--once]</c>: the fleet check-in service (appliance-agent.service), docs/fleet-protocol.md.</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var once = new Option<bool>("--once") { Description = "Check in once, carry out the action offered (if any), report it and exit" };
        var command = new Command("agent", "Check in with the fleet service and carry out what it asks (stage, apply in the window, roll back)") { once };
        command.Options.Add(options.Root);
        command.Options.Add(options.CommandLine);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            var settings = AgentSettings.Load(layout);
            var executor = new ActionExecutor(settings, layout.Root, Path.GetFullPath(parse.GetValue(options.CommandLine)!));
            var agent = new FleetAgent(layout, settings, executor, () => options.BootedIfAny(parse));
            if (parse.GetValue(once))
            {
                await agent.RunOnceAsync(cancellationToken);
                return;
            }
            await agent.RunAsync(cancellationToken);
        });
        return command;
    }
}
