using Appliance.Platform.Processes;

namespace Appliance.Upgradectl.Staging;

/// <summary>Looks inside an image file with debugfs: no mount, no loop device, the image is never written.</summary>
public static class ImageContents
{
    /// <summary>Whether a path exists inside the image, following a symlink (/vmlinuz -> boot/vmlinuz-*) as GRUB does.</summary>
    public static async Task<bool> ExistsAsync(string image, string path, CancellationToken cancellationToken)
    {
        var stat = await ProcessRunner.RunAsync("debugfs", ["-R", $"stat {path}", image], cancellationToken: cancellationToken);
        if (stat.StandardError.Contains("File not found", StringComparison.Ordinal))
        {
            return false;
        }
        var link = stat.StandardOutput.Split('\n').FirstOrDefault(line => line.StartsWith("Fast link dest: ", StringComparison.Ordinal));
        if (link is null)
        {
            return true;
        }
        var target = link["Fast link dest: ".Length..].Trim().Trim('"');
        return !target.Contains("..", StringComparison.Ordinal) && await ExistsAsync(image, "/" + target.TrimStart('/'), cancellationToken);
    }
}
