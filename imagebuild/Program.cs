using Appliance.ImageBuild.Commands;
using Appliance.Platform.Cli;

var root = CliApplication.CreateRoot("imagebuild: build, compare, diff and package appliance images (release CI).");
root.Subcommands.Add(BuildCommand.Create());
root.Subcommands.Add(ReleaseCommand.Create());
root.Subcommands.Add(DiskCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(DeltaCommand.Create());
root.Subcommands.Add(ApplyDeltaCommand.Create());
return await CliApplication.InvokeAsync(root, args);
