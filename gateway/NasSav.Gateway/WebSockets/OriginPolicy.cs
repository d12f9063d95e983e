using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// Who may open the WebSocket from a browser: pages of the same host as the request, plus the configured
/// Gateway:AllowedOrigins and Gateway:Cors:AllowedOrigins. Clients that send no Origin (scripts, CLI) pass.
/// </summary>
public sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IOptions<GatewayOptions> options)
    {
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

        var host = request.Host;
        return host.HasValue
               && string.Equals(uri.IdnHost, host.Host, StringComparison.OrdinalIgnoreCase)
               && (host.Port is null || host.Port == uri.Port);
    }
}
