using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Staging;

/// <summary>Where a staged image's bytes come from: a local file or the repository. The stager does everything else.</summary>
public interface IImageSource
{
    /// <summary>Removes files of earlier, abandoned attempts that this one will not use, before free space is measured.</summary>
    void RemoveStaleFiles();

    /// <summary>Free space the host partition needs to produce the image (the reserve comes on top).</summary>
    Task<long> SpaceNeededAsync(CancellationToken cancellationToken);

    /// <summary>Writes the image into the new file <paramref name="partial"/> (sparse), recording its steps; returns its SHA-256.</summary>
    Task<string> WriteAsync(string partial, OperationJournal journal, CancellationToken cancellationToken);
}
