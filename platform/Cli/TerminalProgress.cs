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
        Run(step, 1, 0, [new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn()],
            task => work(new Progress<double>(fraction => task.Value = Math.Clamp(fraction, 0, 1) * task.MaxValue)));

    public Task<T> RunTransferAsync<T>(string step, long totalBytes, long startBytes, Func<IProgress<long>, Task<T>> work) =>
        Run(step, totalBytes, startBytes, [new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn()],
            task => work(new Progress<long>(bytes => task.Value = Math.Clamp(bytes, 0, totalBytes))));

    private static Task<T> Run<T>(string step, double maximum, double start, ProgressColumn[] columns, Func<ProgressTask, Task<T>> work) =>
        Console.Progress()
            .AutoClear(false)
            .Columns([new TaskDescriptionColumn(), new ProgressBarColumn(), .. columns])
            .StartAsync(async context =>
            {
                var task = context.AddTask(step, maxValue: Math.Max(1, maximum));
                task.Value = start;
                var result = await work(task);
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
}
