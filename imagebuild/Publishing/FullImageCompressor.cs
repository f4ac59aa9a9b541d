using System.Globalization;
using Appliance.Core.Compression;
using Appliance.Core.Repository;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Compresses a whole image in process with the system libzstd, on libzstd's own threads (one per processor). A 128 MiB
/// window (2^27) with long-distance matching finds repeats far apart in a filesystem image, yet stays within the window
/// any zstd decoder accepts without extra flags. The level is the fastest measured within 5 % of level 19's size on an
/// image's data (see docs/publish-speed.md): full objects only go to appliances without a usable delta base, so the
/// publish time of every release weighs more than their last percent.
/// </summary>
public static class FullImageCompressor
{
    public const int DefaultLevel = 17;

    /// <summary>The levels publish accepts: zstd's ordinary ones (no --ultra, whose windows some decoders refuse).</summary>
    public const int MaxLevel = 19;

    public static string Description(int level) => string.Create(CultureInfo.InvariantCulture, $"zstd -{level} --long={FullImageObject.MaxWindowLog}");

    private static readonly int Workers = Environment.ProcessorCount;

    public static Task CompressAsync(string image, string output, int level, IProgress<double> progress, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var source = new FileStream(image, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var options = new ZstdCompressionOptions(Level: level, WindowLog: FullImageObject.MaxWindowLog, LongDistanceMatching: true, PledgedSize: source.Length, Workers: Workers);
            AtomicFile.Write(output, destination =>
            {
                using var zstd = new ZstdCompressionStream(destination, options, leaveOpen: true);
                var buffer = new byte[1 << 20];
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    zstd.Write(buffer, 0, read);
                    progress.Report((double)source.Position / Math.Max(1, source.Length));
                }
                return source.Length;
            });
        }, cancellationToken);
}
