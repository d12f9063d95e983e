using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NasSav.Downloader.Monitoring;

/// <summary>
/// The manual release's own key check, for a downloader reached directly (not through the gateway): with
/// <see cref="MonitoringOptions.ApiKeys"/> set, X-Api-Key or Authorization: Bearer must carry one of them (the gateway
/// forwards the client's header unchanged, so the same key works through it).
/// </summary>
public static class MonitoringAuth
{
    /// <summary>The gateway's wording, so a client sees one message for one problem.</summary>
    public const string UnauthorizedMessage = "未授权: 缺少或无效的 API Key";

    public static bool IsAuthorized(HttpRequest request, MonitoringOptions options)
    {
        var keys = options.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0) return true;
        var presented = request.Headers["X-Api-Key"].ToString().Trim();
        if (presented.Length == 0)
        {
            var authorization = request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = authorization[7..].Trim();
        }
        if (presented.Length == 0) return false;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in keys)
            match |= CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim())));
        return match;
    }
}
