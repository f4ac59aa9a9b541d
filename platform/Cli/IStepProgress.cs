namespace Appliance.Platform.Cli;

/// <summary>Runs one named long step and shows its progress; the step may report a fraction done (0..1).</summary>
public interface IStepProgress
{
    Task<T> RunAsync<T>(string step, Func<IProgress<double>, Task<T>> work);
}
