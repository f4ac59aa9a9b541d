using Appliance.Platform.Processes;

namespace Appliance.Platform.Ext4;

/// <summary><c>e2fsck -fn</c> on an image file: a full check that never writes.</summary>
public static class Ext4Check
{
    // e2fsck's exit code is a bit mask: 1 and 2 (corrected; not with -n), 4 errors left, 8 operational error. Above
    // that (usage, cancelled, library) e2fsck itself failed rather than judged the filesystem.
    private static readonly int[] Verdicts = Enumerable.Range(1, 15).ToArray();

    /// <returns>null when the filesystem is clean, else what e2fsck found (exit code and the end of its output).</returns>
    public static async Task<string?> ProblemsAsync(string image, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("e2fsck", ["-fn", image], new ProcessOptions(AllowedExitCodes: Verdicts), cancellationToken);
        return result.ExitCode == 0
            ? null
            : $"e2fsck -fn exit code {result.ExitCode}: {ToolOutput.Tail(result.StandardError + "\n" + result.StandardOutput, 6)}";
    }
}
