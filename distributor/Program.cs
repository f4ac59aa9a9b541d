using Appliance.Distributor;
using Appliance.Platform.Cli;

var root = CliApplication.CreateRoot("distributor: serve the signed release repository over HTTPS.");
root.Subcommands.Add(ServeCommand.Create());
return await CliApplication.InvokeAsync(root, args);
