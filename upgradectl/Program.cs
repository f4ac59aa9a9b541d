using Appliance.Platform.Cli;
using Appliance.Upgradectl.Commands;

var root = CliApplication.CreateRoot("upgradectl: stage, switch, confirm and roll back appliance images.");
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(StatusCommand.CreateList());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(StageCommand.Create());
root.Subcommands.Add(ApplyCommand.Create());
root.Subcommands.Add(RollbackCommand.Create());
root.Subcommands.Add(PruneCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(HealthCheckCommand.Create());
root.Subcommands.Add(MarkCommands.CreateMarkGood());
root.Subcommands.Add(MarkCommands.CreateMarkBad());
root.Subcommands.Add(GrubConfigCommand.Create());
root.Subcommands.Add(ApplianceReleaseCommand.Create());
return await CliApplication.InvokeAsync(root, args);
