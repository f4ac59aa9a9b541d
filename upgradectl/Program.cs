using Appliance.Platform.Cli;
using Appliance.Upgradectl.Commands;

var root = CliApplication.CreateRoot("upgradectl: stage, switch, confirm and roll back appliance images.");
root.Subcommands.Add(HealthCheckCommand.Create());
root.Subcommands.Add(MarkCommands.CreateMarkGood());
root.Subcommands.Add(MarkCommands.CreateMarkBad());
root.Subcommands.Add(GrubConfigCommand.Create());
root.Subcommands.Add(ReleaseCommand.Create());
return await CliApplication.InvokeAsync(root, args);
