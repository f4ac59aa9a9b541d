using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Tests.Support;

/// <summary>
/// A real nginx on 127.0.0.1 as a caching reverse proxy in front of a distributor, the way a site cache or a CDN edge
/// sits in front of the origin: it honours the origin's Cache-Control, revalidates with If-None-Match, and presents
/// the distributor's own certificate, so the clients that pin it work through the proxy unchanged. Each response
/// says how it was served in <c>X-Cache-Status</c> (MISS, HIT, REVALIDATED, EXPIRED).
/// </summary>
public sealed class CachingProxy : IAsyncDisposable
{
    public const string CacheStatusHeader = "X-Cache-Status";

    private readonly ServerProcess process;

    private CachingProxy(ServerProcess process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<CachingProxy> StartAsync(RunningDistributor origin, string directory)
    {
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var certificateDirectory = Path.GetDirectoryName(origin.CertificateFile)!;
        var configuration = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configuration, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            master_process off;
            user root;
            pid {{directory}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 512; }
            http {
                access_log off;
                proxy_cache_path {{directory}}/cache levels=1:2 keys_zone=repository:10m max_size=1g inactive=1d use_temp_path=off;
                client_body_temp_path {{directory}}/client-body;
                proxy_temp_path {{directory}}/proxy-temp;
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    ssl_certificate {{origin.CertificateFile}};
                    ssl_certificate_key {{certificateDirectory}}/distributor.key.pem;
                    location / {
                        proxy_pass {{origin.Address.GetLeftPart(UriPartial.Authority)}};
                        proxy_http_version 1.1;
                        proxy_ssl_server_name on;
                        proxy_ssl_name localhost;
                        proxy_ssl_verify on;
                        proxy_ssl_trusted_certificate {{origin.CertificateFile}};
                        proxy_cache repository;
                        proxy_cache_revalidate on;
                        proxy_cache_lock on;
                        add_header {{CacheStatusHeader}} $upstream_cache_status always;
                    }
                }
            }
            """));
        var process = ServerProcess.Start("nginx", ["-p", directory + "/", "-c", configuration, "-e", "stderr"]);
        var proxy = new CachingProxy(process, new Uri($"https://127.0.0.1:{port}/"));
        for (var attempt = 0; attempt < 100 && !process.HasExited; attempt++)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        await proxy.DisposeAsync();
        throw new InvalidOperationException($"nginx did not listen on 127.0.0.1:{port}:\n{process.Log}");
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
