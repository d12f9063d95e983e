using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// Who may open the WebSocket from a browser: pages of the same host as the request, plus the configured
/// Gateway:AllowedOrigins and Gateway:Cors:AllowedOrigins. Clients that send no Origin (scripts, CLI) pass.
/// While the host listens on loopback only, any loopback origin (http://localhost:9780, the NASSAV UI's dev
/// server, which opens ws://localhost:9790 directly) passes too: only programs on this machine can reach the
/// socket then, and a page elsewhere cannot claim a loopback origin.
/// </summary>
public sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;
    private readonly IServer? _server;
    private bool? _loopbackOnly;

    public OriginPolicy(IOptions<GatewayOptions> options, IServer? server = null)
    {
        _server = server;
        _allowed = options.Value.AllowedOrigins.Concat(options.Value.Cors.AllowedOrigins)
            .Select(o => new Uri(o).GetLeftPart(UriPartial.Authority))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        if (_allowed.Contains(uri.GetLeftPart(UriPartial.Authority))) return true;
        if (IsLoopback(uri.Host) && ListensOnLoopbackOnly()) return true;

        var host = request.Host;
        return host.HasValue
               && string.Equals(uri.IdnHost, host.Host, StringComparison.OrdinalIgnoreCase)
               && (host.Port is null || host.Port == uri.Port);
    }

    /// <summary>Read once the server is listening (its addresses then carry the bound ports); no addresses known = no.</summary>
    private bool ListensOnLoopbackOnly()
    {
        if (_loopbackOnly is { } known) return known;
        var addresses = _server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0) return false;
        var answer = addresses.All(a => Uri.TryCreate(a, UriKind.Absolute, out var u) && IsLoopback(u.Host));
        _loopbackOnly = answer;
        return answer;
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1; "*", "+", 0.0.0.0, [::] and other names are not.</summary>
    internal static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
