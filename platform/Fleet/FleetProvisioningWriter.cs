using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Platform.Files;

namespace Appliance.Platform.Fleet;

/// <summary>
/// Writes a fleet directory (<see cref="FleetLocations"/>) for <c>imagebuild disk --fleet-url</c> and
/// <c>upgradectl enrol</c>: everything is validated before anything is written, every file is replaced by
/// write-new + fsync + rename, and <c>agent.json</c>, which turns the agent on, comes last.
/// </summary>
public static class FleetProvisioningWriter
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;
    private const UnixFileMode Readable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const int MaxTokenLength = 4096;

    public static void Write(string fleetDirectory, FleetProvisioning provisioning)
    {
        ArgumentNullException.ThrowIfNull(provisioning);
        RequireFleetUrl(provisioning.FleetUrl);
        var token = provisioning.Token.Trim();
        if (token.Length is 0 or > MaxTokenLength || token.Any(char.IsWhiteSpace))
        {
            throw new ApplianceException(ExitCode.InvalidInput, "The enrolment token must be 1 to 4096 characters without spaces or line breaks.");
        }
        var fleetCa = ReadCertificate(provisioning.FleetCaFile, "--fleet-ca");
        var repositoryCa = ReadCertificate(provisioning.RepositoryCaFile, "--repository-ca");
        var configuration = new AgentConfiguration(provisioning.FleetUrl,
            fleetCa is null ? null : FleetLocations.FleetCaFileName,
            repositoryCa is null ? null : FleetLocations.RepositoryCaFileName,
            RebootCommand: null);

        Directory.CreateDirectory(fleetDirectory, PrivateDirectory);
        WriteOptional(Path.Combine(fleetDirectory, FleetLocations.FleetCaFileName), fleetCa);
        WriteOptional(Path.Combine(fleetDirectory, FleetLocations.RepositoryCaFileName), repositoryCa);
        AtomicFile.WriteAllBytes(Path.Combine(fleetDirectory, FleetLocations.EnrolTokenFileName), System.Text.Encoding.UTF8.GetBytes(token + "\n"), Private);
        AtomicFile.WriteAllBytes(Path.Combine(fleetDirectory, FleetLocations.ConfigurationFileName),
            JsonSerializer.SerializeToUtf8Bytes(configuration, FleetJsonContext.Default.AgentConfiguration), Readable);
    }

    public static Uri RequireFleetUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme == Uri.UriSchemeHttps
            ? address
            : throw new ApplianceException(ExitCode.InvalidInput, $"'{url}' is not an https URL of a fleet service.");

    private static byte[]? ReadCertificate(string? file, string option)
    {
        if (file is null)
        {
            return null;
        }
        if (!File.Exists(file))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The certificate {file} ({option}) does not exist.");
        }
        var pem = File.ReadAllText(file);
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{file} ({option}) is not a PEM certificate: {e.Message}", e);
        }
        return System.Text.Encoding.UTF8.GetBytes(pem);
    }

    private static void WriteOptional(string path, byte[]? contents)
    {
        if (contents is null)
        {
            File.Delete(path);
            return;
        }
        AtomicFile.WriteAllBytes(path, contents, Readable);
    }
}
