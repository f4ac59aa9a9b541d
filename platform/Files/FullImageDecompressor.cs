using Appliance.Core.Compression;
using Appliance.Core.Repository;

namespace Appliance.Platform.Files;

/// <summary>Turns a release's full object (the image, zstd-compressed) back into the image, as a new sparse file.</summary>
public static class FullImageDecompressor
{
    /// <param name="imageSize">The signed size of the image, for progress only.</param>
    /// <returns>The lowercase hex SHA-256 of the image written.</returns>
    public static async Task<string> DecompressAsync(string fullObject, string image, long imageSize, IProgress<double>? fraction, CancellationToken cancellationToken)
    {
        await using var zstd = new ZstdDecompressionStream(
            new FileStream(fullObject, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan),
            windowLogMax: FullImageObject.MaxWindowLog);
        var size = Math.Max(1, imageSize);
        return await SparseCopy.CopyAsync(zstd, image, fraction is null ? null : new Progress<long>(bytes => fraction.Report((double)bytes / size)), cancellationToken);
    }
}
