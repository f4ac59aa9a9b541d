using System.CommandLine;
using Appliance.Core.Images;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild build --version N [--base prev.img] --out dir</c></summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var options = new BuildOptions();
        var version = new Option<string>("--version") { Description = "Version number of the image, e.g. 415", Required = true };
        var baseImage = new Option<string?>("--base") { Description = "Previous image: keep its layout (rsync onto a copy) instead of a fresh mke2fs" };
        var output = new Option<string>("--out") { Description = "Output directory for <N>.img and <N>.manifest.json", Required = true };
        var gitTag = new Option<string?>("--git-tag") { Description = "Git tag recorded in /etc/appliance-release and the manifest" };
        var command = new Command("build", "Build an ext4 appliance image from a spec with debootstrap") { version, baseImage, output, gitTag };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var request = options.ToRequest(parse, ImageVersion.Parse(parse.GetValue(version)!), parse.GetValue(baseImage), parse.GetValue(output)!, parse.GetValue(gitTag));
            await new ImageBuilder(Logging.Progress).BuildAsync(request, cancellationToken);
        });
        return command;
    }
}
