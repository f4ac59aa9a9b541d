using System.CommandLine;
using Appliance.Core.Images;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Cli;
using Serilog;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild release --tag vN --images dir</c>: what release CI runs on a tag push. Builds version N with the
/// newest earlier image in the directory of published images as its base, so the layout carries over.
/// </summary>
public static class ReleaseCommand
{
    public static Command Create()
    {
        var options = new BuildOptions();
        var tag = new Option<string>("--tag") { Description = "The pushed tag, v<N>", Required = true };
        var images = new Option<string>("--images") { Description = "Directory of published images; the new image is written there too", Required = true };
        var command = new Command("release", "Build the release for a tag on top of the previous published image") { tag, images };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var version = ImageVersion.FromTag(parse.GetValue(tag)!);
            var directory = parse.GetValue(images)!;
            var previous = PublishedImages.LatestBefore(directory, version);
            Log.Information(previous is null ? "Release {Version}: no earlier image, building fresh" : "Release {Version}: building on {Base}", version, previous);
            var request = options.ToRequest(parse, version, previous, directory, parse.GetValue(tag));
            await new ImageBuilder(Logging.Progress).BuildAsync(request, cancellationToken);
        });
        return command;
    }
}
