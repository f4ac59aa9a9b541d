using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>Runs the project's executables as processes, the way operators and CI do, exit code included.</summary>
public static class Cli
{
    public static Task<ProcessResult> ImageBuildAsync(params string[] arguments) => ImageBuildAsync(null, arguments);

    /// <param name="environment">Added to imagebuild's environment (and so its signing commands'), e.g. a token's PIN.</param>
    public static Task<ProcessResult> ImageBuildAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        ProcessRunner.RunAsync(Checkout.ImageBuild, arguments,
            new ProcessOptions(Environment: environment, AllowedExitCodes: Enumerable.Range(1, 255).ToList()));

    public static Task<ProcessResult> UpgradectlAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        ProcessRunner.RunAsync(Checkout.Upgradectl, arguments,
            new ProcessOptions(Environment: environment, AllowedExitCodes: Enumerable.Range(1, 255).ToList()));

    public static async Task<ProcessResult> SucceedAsync(Task<ProcessResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}\n{result.StandardError}\n{result.StandardOutput}");
        return result;
    }
}
