using System.CommandLine;
using Appliance.Core.Images;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Commands;

/// <summary><c>upgradectl stage &lt;image&gt; [--manifest M]</c>: make a new image present, verified, while the appliance works.</summary>
public static class StageCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var source = new Argument<string>("image") { Description = "The image file <N>.img to stage" };
        var manifest = new Option<string?>("--manifest") { Description = "Its manifest (default: <N>.manifest.json next to the image)" };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Allow an image older than the confirmed default" };
        var reserve = new Option<long>("--reserve-mib")
        {
            Description = "Free space the host partition must keep after staging",
            DefaultValueFactory = _ => StageRequest.DefaultReserveBytes / (1024 * 1024),
        };
        var command = new Command("stage", "Copy and verify a new image onto the host partition") { source, manifest, allowDowngrade, reserve };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var image = Path.GetFullPath(parse.GetValue(source)!);
            var manifestPath = parse.GetValue(manifest) ?? Path.ChangeExtension(image, null) + ImageVersion.ManifestExtension;
            var layout = options.Layout(parse);
            using var hostLock = await options.LockAsync(parse, cancellationToken);
            var request = new StageRequest(image, manifestPath, parse.GetValue(allowDowngrade), parse.GetValue(reserve) * 1024 * 1024);
            var staged = await new ImageStager(layout, new UpdaterStateStore(layout), null).StageAsync(request, cancellationToken);
            await Console.Out.WriteLineAsync($"staged image {staged.Version} at {layout.ImagePath(staged.Version)}");
        });
        return command;
    }
}
