namespace Appliance.Platform.Cli;

/// <summary>Runs one named long step and shows its progress; the step may report a fraction done (0..1).</summary>
public interface IStepProgress
{
    Task<T> RunAsync<T>(string step, Func<IProgress<double>, Task<T>> work);

    /// <summary>Runs a transfer of <paramref name="totalBytes"/> that starts at <paramref name="startBytes"/> (a resume) and reports bytes done, shown with rate and time left.</summary>
    Task<T> RunTransferAsync<T>(string step, long totalBytes, long startBytes, Func<IProgress<long>, Task<T>> work);
}
