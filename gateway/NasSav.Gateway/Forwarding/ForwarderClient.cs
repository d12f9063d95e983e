using System.Net;
using Microsoft.Extensions.Options;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// The one connection pool to every upstream: no redirects, no cookie container, no decompression,
/// no proxy, no overall timeout (each call brings its own). Shared by forwarding and the health probe.
/// </summary>
public sealed class ForwarderClient : IDisposable
{
    public ForwarderClient(IOptions<GatewayOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.HealthCheck.ConnectTimeout),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
