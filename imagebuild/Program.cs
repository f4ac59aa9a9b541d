using Appliance.ImageBuild.Commands;
using Appliance.Platform.Cli;

var root = CliApplication.CreateRoot("imagebuild: build, compare, diff, sign and publish appliance images (release CI).");
root.Subcommands.Add(BuildCommand.Create());
root.Subcommands.Add(ReleaseCommand.Create());
root.Subcommands.Add(DiskCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(DeltaCommand.Create());
root.Subcommands.Add(ApplyDeltaCommand.Create());
root.Subcommands.Add(KeygenCommand.Create());
root.Subcommands.Add(RepoCommand.Create());
root.Subcommands.Add(PublishCommand.Create());
root.Subcommands.Add(LayoutCommand.Create());
root.Subcommands.Add(BundleCommand.Create());
root.Subcommands.Add(ZfsStreamCommand.Create());
return await CliApplication.InvokeAsync(root, args);
