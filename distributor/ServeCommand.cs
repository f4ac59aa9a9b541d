using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Platform.Cli;
using Appliance.Platform.Tls;

namespace Appliance.Distributor;

/// <summary>
/// <c>distributor serve --repo dir --urls https://127.0.0.1:8443 (--certificate crt.pem --certificate-key key.pem | --self-signed dir)</c>
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var repository = new Option<string>("--repo") { Required = true, Description = "Repository directory (imagebuild repo init / publish)" };
        var urls = new Option<string>("--urls")
        {
            DefaultValueFactory = _ => "https://127.0.0.1:8443",
            Description = "Addresses to listen on, ';'-separated; port 0 picks a free port (the chosen address is printed)",
        };
        var certificate = new Option<string?>("--certificate") { Description = "Server certificate (PEM)" };
        var certificateKey = new Option<string?>("--certificate-key") { Description = "Private key of --certificate (PEM)" };
        var selfSigned = new Option<string?>("--self-signed")
        {
            Description = "Directory for a self-signed certificate for 127.0.0.1/localhost, created once and reused (clients pin it)",
        };
        var metadataMaxAge = new Option<int>("--metadata-max-age")
        {
            DefaultValueFactory = _ => 60,
            Description = "Seconds caches may serve root and channel documents before revalidating (objects and signatures are immutable)",
        };
        var command = new Command("serve", "Serve the repository: objects, signed metadata, /healthz")
        {
            repository, urls, certificate, certificateKey, selfSigned, metadataMaxAge,
        };
        CliApplication.SetAction(command, async (parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(repository)!);
            if (!Directory.Exists(directory))
            {
                throw new ApplianceException(ExitCode.NotFound, $"Repository directory {directory} does not exist.");
            }
            var source = ServerCertificate.Choose(parse.GetValue(certificate), parse.GetValue(certificateKey), parse.GetValue(selfSigned), "distributor");
            var maxAge = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(metadataMaxAge)));
            await DistributorServer.RunAsync(new DistributorSettings(directory, parse.GetValue(urls)!.Split(';'), source, maxAge), cancellationToken);
        });
        return command;
    }
}
