using System.CommandLine;
using Appliance.Core.Delta;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.ImageBuild.Commands;

/// <summary><c>imagebuild apply-delta --base old.img --delta file.delta --out new.img</c>: what an appliance does, for tests and the bench.</summary>
public static class ApplyDeltaCommand
{
    public static Command Create()
    {
        var baseOption = new Option<string>("--base") { Required = true, Description = "Image the delta was made from" };
        var deltaOption = new Option<string>("--delta") { Required = true, Description = "Delta file (imagebuild delta)" };
        var output = new Option<string>("--out") { Required = true, Description = "Image to write (sparse; appears only once verified)" };
        var command = new Command("apply-delta", "Rebuild an image from its base and a delta, verifying every step") { baseOption, deltaOption, output };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            await using var baseImage = InputFile.OpenRead(parse.GetValue(baseOption)!, "Base image");
            await using var delta = InputFile.OpenRead(parse.GetValue(deltaOption)!, "Delta");
            var path = parse.GetValue(output)!;
            var header = await Task.Run(() => AtomicFile.Write(path, image => DeltaApplier.Apply(delta, baseImage, image, cancellationToken)), cancellationToken);
            Log.Information("Rebuilt {Image}: {Size} bytes, sha256 {Sha256}", path, header.TargetSize, header.TargetSha256);
        });
        return command;
    }
}
