using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Appliance.Tests.Support;

/// <summary>
/// The published distributor running as its own process on 127.0.0.1 with a free port and a self-signed certificate,
/// and clients that pin that certificate (nothing else is trusted, as on an appliance).
/// </summary>
public sealed class RunningDistributor : IAsyncDisposable
{
    private readonly ServerProcess process;

    private RunningDistributor(ServerProcess process, Uri address, string certificateFile)
    {
        this.process = process;
        Address = address;
        CertificateFile = certificateFile;
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
        Fingerprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    public Uri Address { get; }

    public string CertificateFile { get; }

    public string Fingerprint { get; }

    public int ProcessId => process.Id;

    public static async Task<RunningDistributor> StartAsync(string repository, string certificateDirectory, params string[] options)
    {
        var process = ServerProcess.Start(Checkout.Distributor,
            ["serve", "--repo", repository, "--urls", "https://127.0.0.1:0", "--self-signed", certificateDirectory, .. options]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                return new RunningDistributor(process, new Uri(line["listening on ".Length..]), Path.Combine(certificateDirectory, "distributor.crt.pem"));
            }
        }
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"The distributor exited with {process.ExitCode} before listening:\n{process.Log}");
    }

    /// <param name="address">Another server that presents the distributor's certificate (a caching proxy in front of it).</param>
    public HttpClient CreateClient(Uri? address = null) => new(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = IsPinned } })
    {
        BaseAddress = address ?? Address,
        Timeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>A request line sent as is (HttpClient would normalize '..' away): the status line of the answer.</summary>
    public async Task<string> SendRawAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Address.Host, Address.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = IsPinned,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(tls, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A memory figure of the distributor process from /proc (VmRSS now, VmHWM the peak), in bytes.</summary>
    public long Memory(string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }


    public ValueTask DisposeAsync() => process.DisposeAsync();

    private bool IsPinned(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == Fingerprint;
}
