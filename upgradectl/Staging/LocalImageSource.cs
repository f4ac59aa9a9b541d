using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Staging;

/// <summary>An image file already on this machine (a USB stick, a copy made by hand), copied sparse with its hash.</summary>
public sealed class LocalImageSource(string image) : IImageSource
{
    public void RemoveStaleFiles()
    {
    }

    /// <summary>The bytes a sparse copy of the file will take (its allocated blocks), not its apparent size.</summary>
    public async Task<long> SpaceNeededAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(image))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The image {image} does not exist.");
        }
        var du = await ProcessRunner.RunAsync("du", ["--block-size=1", image], cancellationToken: cancellationToken);
        return long.Parse(du.StandardOutput.Split('\t')[0], CultureInfo.InvariantCulture);
    }

    public async Task<string> WriteAsync(string partial, OperationJournal journal, CancellationToken cancellationToken)
    {
        journal.Step("copying");
        await using var source = new FileStream(image, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return await SparseCopy.CopyAsync(source, partial, null, cancellationToken);
    }
}
