using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// <c>upgradectl verify [N]</c>: check that images are still exactly what was published. Images are mounted read-only,
/// so even the running one must match its manifest byte for byte.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var options = new CommonOptions();
        var version = new Argument<int?>("version") { Description = "The image to verify (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Check images against their manifests (size, SHA-256, ext4, kernel and initramfs)") { version };
        options.AddTo(command);
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var layout = options.Layout(parse);
            var versions = parse.GetValue(version) is { } one ? [one] : ImageInventory.Versions(layout);
            var failures = new List<string>();
            foreach (var v in versions)
            {
                try
                {
                    await VerifyAsync(layout, v, cancellationToken);
                    await Console.Out.WriteLineAsync($"image {v}: ok");
                }
                catch (ApplianceException e)
                {
                    failures.Add(e.Message);
                    await Console.Out.WriteLineAsync($"image {v}: FAILED: {e.Message}");
                }
            }
            if (failures.Count > 0)
            {
                throw new ApplianceException(ExitCode.VerificationFailed, $"{failures.Count} of {versions.Count} images failed verification.");
            }
        });
        return command;
    }

    private static async Task VerifyAsync(HostLayout layout, int version, CancellationToken cancellationToken)
    {
        var image = layout.ImagePath(version);
        if (!File.Exists(image))
        {
            throw new ApplianceException(ExitCode.NotFound, $"Image {version} is not present ({image}).");
        }
        var manifest = ImageInventory.Manifest(layout, version)
            ?? throw new ApplianceException(ExitCode.NotFound, $"Image {version} has no manifest ({layout.ManifestPath(version)}).");
        await ImageVerifier.VerifyAsync(image, manifest, await Sha256File.ComputeAsync(image, cancellationToken), cancellationToken);
    }
}
