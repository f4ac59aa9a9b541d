using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Core.Manifests;
using Appliance.Platform.Cli;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl release</c>: prints the running image's /etc/appliance-release.</summary>
public static class ApplianceReleaseCommand
{
    public static Command Create()
    {
        var rootOption = new Option<string>("--root") { Description = "System root", DefaultValueFactory = _ => "/" };
        var command = new Command("release", "Print the release of the image under --root") { rootOption };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var path = Path.Combine(parse.GetValue(rootOption)!, ApplianceRelease.PathInImage);
            if (!File.Exists(path))
            {
                throw new ApplianceException(ExitCode.NotFound, $"{path} does not exist: this is not an appliance image.");
            }
            await Console.Out.WriteAsync(await File.ReadAllTextAsync(path, cancellationToken));
        });
        return command;
    }
}
