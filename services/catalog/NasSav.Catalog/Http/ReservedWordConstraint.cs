using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NasSav.Catalog.Http;

/// <summary>
/// <c>{avid:avid}</c>: an AVID route segment that never takes the literal routes next to it, so
/// DELETE /resource/cover, DELETE /resource/video or POST /downloads/abspath reach those routes (405) instead of an AVID
/// "COVER" — as in the peer, where those AVIDs are unreachable. Validity is not checked here: a bad
/// AVID must reach the handler to get its 400 message.
/// </summary>
public sealed class ReservedWordConstraint : IRouteConstraint
{
    public const string Name = "avid";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "cover", "metadata", "video", "abspath", "batch_submit",
    };

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string s && !Reserved.Contains(s);
}
