using Microsoft.Extensions.Primitives;

namespace NasSav.Gateway.Forwarding;

/// <summary>Headers that describe one connection, not the message (RFC 9110 §7.6.1), so never forwarded.</summary>
internal static class HopByHopHeaders
{
    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
    };

    /// <summary>The fixed set, plus every header named in the message's own Connection header.</summary>
    public static Func<string, bool> For(StringValues connection)
    {
        HashSet<string>? named = null;
        foreach (var value in connection)
        {
            if (value is null) continue;
            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                (named ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(token);
        }
        return name => Always.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
                       || (named?.Contains(name) ?? false);
    }

    public static Func<string, bool> For(IEnumerable<string>? connection) =>
        For(connection is null ? StringValues.Empty : new StringValues(connection.ToArray()));
}
