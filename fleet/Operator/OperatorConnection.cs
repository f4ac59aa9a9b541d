using System.CommandLine;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Errors;

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
            if (!File.Exists(caFile))
            {
                throw new ApplianceException(ExitCode.NotFound, $"Certificate file {caFile} does not exist.");
            }
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTrusted(certificate, trusted);
        }
        var client = new HttpClient(handler) { BaseAddress = new Uri(parse.GetValue(Server)!), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static bool IsTrusted(X509Certificate? presented, X509Certificate2Collection trusted)
    {
        if (presented is null)
        {
            return false;
        }
        using var leaf = new X509Certificate2(presented);
        if (trusted.Any(t => t.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)))
        {
            return true;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
