using Appliance.Fleet.Operator;
using Appliance.Fleet.Serving;
using Appliance.Fleet.Simulation;
using Appliance.Platform.Cli;

var root = CliApplication.CreateRoot("fleet: the check-in service for appliances (serve) and its operator commands.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
foreach (var command in OperatorCommands.Create())
{
    root.Subcommands.Add(command);
}
return await CliApplication.InvokeAsync(root, args);
