using System.CommandLine;
using Appliance.Core.Errors;
using Appliance.Platform.Tls;

namespace Appliance.Fleet.Operator;

/// <summary>The options every operator command shares: where the fleet is, the operator token, the certificate to trust, --json.</summary>
public sealed class OperatorConnection
{
    public Option<string> Server { get; } = new("--server")
    {
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLEET_SERVER") ?? "https://127.0.0.1:9443",
        Description = "Fleet service URL (default $FLEET_SERVER or https://127.0.0.1:9443)",
    };

    public Option<string?> Token { get; } = new("--token") { Description = "Operator token (default: $FLEET_TOKEN, or --token-file)" };

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "File holding the operator token (fleet serve writes <data>/operator.token)" };

    public Option<string?> CaCertificate { get; } = new("--ca-cert")
    {
        Description = "Trust only this certificate (PEM) for the server: its own certificate (self-signed) or the CA that issued it",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's JSON answer" };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(TokenFile);
        command.Options.Add(CaCertificate);
        command.Options.Add(Json);
    }

    public HttpClient CreateClient(ParseResult parse)
    {
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("FLEET_TOKEN");
        if (token is null && parse.GetValue(TokenFile) is { } file)
        {
            token = File.Exists(file) ? File.ReadAllText(file).Trim() : throw new ApplianceException(ExitCode.NotFound, $"Token file {file} does not exist.");
        }
        if (string.IsNullOrEmpty(token))
        {
            throw new ApplianceException(ExitCode.Usage, "Give the operator token: --token, --token-file or $FLEET_TOKEN.");
        }
        var handler = new SocketsHttpHandler();
        if (parse.GetValue(CaCertificate) is { } caFile)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = PinnedCertificate.Load(caFile).Validate;
        }
        var client = new HttpClient(handler) { BaseAddress = new Uri(parse.GetValue(Server)!), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
