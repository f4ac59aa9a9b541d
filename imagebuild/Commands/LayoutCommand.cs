using System.CommandLine;
using Appliance.Core.Layout;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild layout</c>: prints the layout file every image carries (paths on the host partition, kernel argument
/// names, factory disk offsets), for shell on a build host to source: the demo and the tests' guest driver.
/// </summary>
public static class LayoutCommand
{
    public static Command Create()
    {
        var command = new Command("layout", "Print the appliance layout as shell variables (the file images carry at /" + ImagePaths.LayoutShellFile + ")");
        CliApplication.SetAction(command, async (_, _) => await Console.Out.WriteAsync(LayoutShellFile.Render()));
        return command;
    }
}
