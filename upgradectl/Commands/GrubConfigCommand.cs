using System.CommandLine;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl grub-config</c>: the boot menu for the images present. <c>--write</c> replaces the host's grub.cfg
/// (disks made by imagebuild); without it the menu goes to standard output, which is what the /etc/grub.d hook uses
/// on machines whose GRUB config comes from grub-mkconfig (there <c>--with-host-search</c> adds the lookup of the host
/// partition that imagebuild's standalone GRUB otherwise does).
/// </summary>
public static class GrubConfigCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var write = new Option<bool>("--write") { Description = "Replace <root>/host/boot/grub/grub.cfg atomically" };
        var withHostSearch = new Option<bool>("--with-host-search") { Description = "Prefix the search for the host partition by UUID" };
        var command = new Command("grub-config", "Render the GRUB boot menu for the images on the host partition") { write, withHostSearch };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            var state = new BootStateStore(layout).Load();
            if (ImageInventory.Versions(layout).Count == 0)
            {
                throw new ApplianceException(ExitCode.NotFound, $"There are no images in {layout.Images}.");
            }
            var writer = new GrubConfigWriter(layout, KernelArguments.Extra(options.CommandLineText(parse)));
            if (parse.GetValue(write))
            {
                using var hostLock = await options.LockAsync(parse, cancellationToken);
                writer.Write(new BootStateStore(layout).Load());
                return;
            }
            if (parse.GetValue(withHostSearch))
            {
                var uuid = (await ProcessRunner.RunAsync("findmnt", ["--noheadings", "--output", "UUID", "--target", layout.Host], cancellationToken: cancellationToken)).StandardOutput.Trim();
                await Console.Out.WriteAsync(GrubConfigRenderer.RenderHostSearch(Guid.Parse(uuid)));
            }
            await Console.Out.WriteAsync(writer.Render(state, wholeMenu: false));
        });
        return command;
    }
}
