using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Compresses a whole image with the system zstd CLI. Kept in this one class so the in-process libzstd binding can
/// replace it. A 128 MiB window (--long=27) finds repeats far apart in a filesystem image, yet stays within the
/// window any zstd decoder accepts without extra flags.
/// </summary>
public static class ZstdCliCompressor
{
    public static Task CompressAsync(string input, string output, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("zstd", ["-19", "--long=27", "-T0", "-q", "-f", "-o", output, input], cancellationToken: cancellationToken);
}
