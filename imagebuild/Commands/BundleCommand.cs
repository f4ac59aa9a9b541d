using System.CommandLine;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;

namespace Appliance.ImageBuild.Commands;

/// <summary>
/// <c>imagebuild bundle --image N.img (--key K | --sign-command C --public-key P) --out N.bundle</c>: a signed bundle
/// for <c>upgradectl stage N.bundle</c> on an appliance that cannot reach the repository.
/// </summary>
public static class BundleCommand
{
    public static Command Create()
    {
        var signer = new SignerOptions();
        var image = new Option<string>("--image") { Required = true, Description = "Image file <N>.img; <N>.manifest.json must be beside it" };
        var output = new Option<string>("--out") { Required = true, Description = "The bundle directory to create, e.g. <N>.bundle" };
        var command = new Command("bundle", "Make a bundle signed by the release key, for local installs (USB stick, support laptop)") { image, output };
        signer.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var bundle = await BundleWriter.WriteAsync(parse.GetValue(image)!, signer.Create(parse), parse.GetValue(output)!, Logging.Progress, cancellationToken);
            await Console.Out.WriteLineAsync($"bundle of image {bundle.ImageVersion} for {bundle.Compatible}: {Path.GetFullPath(parse.GetValue(output)!)}");
        });
        return command;
    }
}
