using Spectre.Console;

namespace Appliance.Platform.Cli;

/// <summary>A Spectre.Console progress bar per step, drawn on standard error.</summary>
internal sealed class TerminalProgress : IStepProgress
{
    private static readonly IAnsiConsole Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Error),
    });

    public static bool IsAvailable => !System.Console.IsErrorRedirected && Console.Profile.Capabilities.Interactive;

    public Task<T> RunAsync<T>(string step, Func<IProgress<double>, Task<T>> work) =>
        Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(step);
                task.IsIndeterminate = true;
                var result = await work(new Progress<double>(fraction =>
                {
                    task.IsIndeterminate = false;
                    task.Value = Math.Clamp(fraction, 0, 1) * task.MaxValue;
                }));
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
}
