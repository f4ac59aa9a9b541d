using System.Diagnostics;
using Appliance.Core.Errors;
using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.EndToEnd;

/// <summary>Bad input and interrupted builds: a clear error, the documented exit code, nothing half-written left.</summary>
[Collection(SerialCollection.Name)]
public sealed class FailedBuildTests
{
    [Fact]
    public async Task An_invalid_spec_fails_with_exit_code_10_naming_the_problem_and_writes_nothing()
    {
        using var directory = new TempDirectory();
        var spec = directory.File("broken.yaml");
        await File.WriteAllTextAsync(spec, "name: box\nsuite: bookworm\n");
        var output = directory.File("out");

        var result = await Cli.ImageBuildAsync("build", "--spec", spec, "--version", "3", "--out", output, "--source-date-epoch", "1");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("broken.yaml", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("mirror is required", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_missing_spec_or_a_bad_version_fails_before_any_work()
    {
        using var directory = new TempDirectory();

        var missing = await Cli.ImageBuildAsync("build", "--spec", directory.File("nope.yaml"), "--version", "3", "--out", directory.Path);
        var badVersion = await Cli.ImageBuildAsync("build", "--version", "v3", "--out", directory.Path);
        var noVersion = await Cli.ImageBuildAsync("build", "--out", directory.Path);

        Assert.Equal((int)ExitCode.NotFound, missing.ExitCode);
        Assert.Equal((int)ExitCode.InvalidInput, badVersion.ExitCode);
        Assert.Contains("not an image version", badVersion.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.Usage, noVersion.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }

    [RootFact("debootstrap")]
    public async Task A_base_image_that_is_not_ext4_is_refused_before_debootstrap_runs()
    {
        using var directory = new TempDirectory();
        var notAnImage = directory.File("1.img");
        await File.WriteAllBytesAsync(notAnImage, new byte[1 << 20]);

        var result = await Cli.ImageBuildAsync("build", "--version", "2", "--base", notAnImage, "--out", directory.File("out"), "--source-date-epoch", "1");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("is not an ext4 filesystem image", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.File("out/.build-2")));
    }

    [RootFact("debootstrap")]
    public async Task A_spec_naming_a_package_the_suite_lacks_fails_with_exit_code_10_naming_the_package()
    {
        using var directory = new TempDirectory();
        var spec = directory.File("unknown.yaml");
        var text = await File.ReadAllTextAsync(Checkout.DefaultSpec);
        await File.WriteAllTextAsync(spec, text.Replace("  - e2fsprogs\n", "  - e2fsprogs\n  - no-such-package-xyz\n", StringComparison.Ordinal));
        var output = directory.File("out");

        var result = await Cli.ImageBuildAsync("build", "--spec", spec, "--version", "3", "--out", output, "--cache", Checkout.DebCache, "--source-date-epoch", "1");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("no-such-package-xyz", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["out/.build-3.lock"], Directory.EnumerateFileSystemEntries(output).Select(p => Path.GetRelativePath(directory.Path, p)));
    }

    [RootFact("debootstrap")]
    public async Task A_build_stopped_with_SIGTERM_while_mounts_are_active_unmounts_everything_and_leaves_no_image()
    {
        using var directory = new TempDirectory();
        var output = directory.File("out");
        var workDirectory = Path.Combine(output, ".build-4");
        var startInfo = new ProcessStartInfo(Checkout.ImageBuild)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in (string[])["build", "--version", "4", "--out", output, "--cache", Checkout.DebCache, "--source-date-epoch", "1"])
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var build = Process.Start(startInfo)!;
        var stderr = build.StandardError.ReadToEndAsync();

        // debootstrap's second stage mounts /proc into the tree: stop the build while that mount exists.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (MountTable.MountPointsUnder(workDirectory).Count == 0 && !build.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.NotEmpty(MountTable.MountPointsUnder(workDirectory));
        await ProcessRunner.RunAsync("kill", ["-TERM", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await build.WaitForExitAsync();

        Assert.Equal((int)ExitCode.Interrupted, build.ExitCode);
        Assert.Contains("Interrupted", await stderr, StringComparison.Ordinal);
        Assert.Empty(MountTable.MountPointsUnder(workDirectory));
        Assert.False(Directory.Exists(workDirectory));
        Assert.False(File.Exists(Path.Combine(output, "4.img")));
        Assert.False(File.Exists(Path.Combine(output, "4.img.partial")));
    }
}
