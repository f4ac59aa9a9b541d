using Appliance.Core.Errors;

namespace Appliance.Platform.Files;

public static class InputFile
{
    /// <summary>Opens a file named on the command line for reading; a missing one is the operator's error, not a crash.</summary>
    public static FileStream OpenRead(string path, string description) =>
        File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read)
            : throw new ApplianceException(ExitCode.NotFound, $"{description} {path} does not exist.");
}
