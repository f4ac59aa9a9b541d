namespace Appliance.Platform.Cli;

public static class StepProgressExtensions
{
    public static Task RunAsync(this IStepProgress progress, string step, Func<IProgress<double>, Task> work) =>
        progress.RunAsync(step, async fraction =>
        {
            await work(fraction);
            return true;
        });
}
