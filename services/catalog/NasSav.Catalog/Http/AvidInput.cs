using Microsoft.AspNetCore.Http;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>Every AVID from a path, query or body passes here: a bad one is a 400 envelope with Avid's message.</summary>
public static class AvidInput
{
    public static bool TryParse(string? raw, out Avid avid, out IResult? error)
    {
        if (Avid.TryParse(raw, out avid, out var message))
        {
            error = null;
            return true;
        }
        error = ApiResults.Error(400, message);
        return false;
    }

    /// <summary>The <c>?avid=</c> query parameter; missing is the peer's "avid参数缺失".</summary>
    public static bool TryFromQuery(HttpRequest request, out Avid avid, out IResult? error)
    {
        var raw = request.Query["avid"].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            avid = default;
            error = ApiResults.Error(400, "avid参数缺失");
            return false;
        }
        return TryParse(raw, out avid, out error);
    }
}
