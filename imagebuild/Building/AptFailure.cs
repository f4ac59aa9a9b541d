using System.Text.RegularExpressions;
using Appliance.Core.Errors;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>Turns what apt-get printed when it failed into an error that names the source or package at fault.</summary>
public static partial class AptFailure
{
    public static ApplianceException FromUpdate(ExternalToolException failure)
    {
        var errors = ErrorLines(failure.Output).Where(l => !l.StartsWith("Some index files failed", StringComparison.Ordinal)).ToList();
        var summary = string.Join("; ", errors.Count > 0 ? errors : [failure.Message]);
        return errors.Any(e => e.Contains("not signed", StringComparison.Ordinal) || e.Contains("signature", StringComparison.Ordinal) || e.Contains("NO_PUBKEY", StringComparison.Ordinal))
            ? new ApplianceException(ExitCode.VerificationFailed, $"An apt source of the spec cannot be verified: {summary}", failure)
            : new ApplianceException(ExitCode.DownloadFailed, $"An apt source of the spec cannot be read: {summary}", failure);
    }

    public static ApplianceException FromInstall(ExternalToolException failure)
    {
        var output = failure.Output;
        var missing = UnknownPackage().Matches(output).Select(m => m.Groups[1].Value).Distinct().ToList();
        if (missing.Count > 0)
        {
            return new ApplianceException(ExitCode.InvalidInput, $"The spec names packages that its sources do not have: {string.Join(", ", missing)}", failure);
        }
        var versions = UnknownVersion().Matches(output).Select(m => $"{m.Groups[2].Value}={m.Groups[1].Value}").Distinct().ToList();
        if (versions.Count > 0)
        {
            return new ApplianceException(ExitCode.InvalidInput,
                $"Pinned versions are no longer available from the spec's sources: {string.Join(", ", versions)}", failure);
        }
        var unmet = UnmetDependencies(output);
        if (unmet.Count > 0)
        {
            return new ApplianceException(ExitCode.InvalidInput, $"Package dependencies cannot be met: {string.Join("; ", unmet)}", failure);
        }
        return new ApplianceException(ExitCode.ExternalToolFailed, $"apt-get could not install the packages: {string.Join("; ", ErrorLines(output).DefaultIfEmpty(failure.Message))}", failure);
    }

    private static IEnumerable<string> ErrorLines(string output) =>
        output.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal)).Select(l => l[3..].Trim());

    /// <summary>The indented lines under "The following packages have unmet dependencies:", e.g. "hello : Depends: foo but it is not installable".</summary>
    private static List<string> UnmetDependencies(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains("have unmet dependencies", StringComparison.Ordinal));
        return start < 0
            ? []
            : lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ')).Select(l => WhiteSpace().Replace(l.Trim(), " ")).ToList();
    }

    [GeneratedRegex("Unable to locate package (\\S+)")]
    private static partial Regex UnknownPackage();

    [GeneratedRegex("Version '([^']+)' for '([^']+)' was not found")]
    private static partial Regex UnknownVersion();

    [GeneratedRegex("\\s+")]
    private static partial Regex WhiteSpace();
}
