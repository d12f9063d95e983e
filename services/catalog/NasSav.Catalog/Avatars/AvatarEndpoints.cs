using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Avatars;

/// <summary>
/// <c>GET|HEAD /actors/{id}/avatar</c>: the actor's avatar/{file}. Unlike the peer, every failure is
/// an envelope, the Content-Type is the file's real one, placeholders count as "no avatar", and the
/// file name from the database can never point outside the avatar folder.
/// </summary>
public static class AvatarEndpoints
{
    /// <summary>The URL has no cache buster and a refresh may replace the file: always revalidate (cheap 304s).</summary>
    public const string CacheControl = "public, no-cache";

    public static IEndpointRouteBuilder MapAvatarEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ApiPipeline.ApiPrefix + "/actors/{id}/avatar", [HttpMethods.Get, HttpMethods.Head], ServeAsync);
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string id, HttpContext context, CatalogDbContext db, IMediaStore store,
        ILoggerFactory loggers, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var actorId))
            return ApiResults.Error(400, $"演员ID无效: {id}");

        var actor = await db.Actors.AsNoTracking()
            .Where(a => a.Id == actorId)
            .Select(a => new { a.AvatarUrl, a.AvatarFilename })
            .SingleOrDefaultAsync(ct);
        if (actor is null) return ApiResults.Error(404, "演员不存在");
        if (string.IsNullOrEmpty(actor.AvatarFilename)
            || (actor.AvatarUrl is not null && Actor.PlaceholderAvatarUrls.Contains(actor.AvatarUrl)))
            return ApiResults.Error(404, "演员头像不存在");

        if (!MediaKey.TryAvatar(actor.AvatarFilename, out var key))
        {
            loggers.CreateLogger(typeof(AvatarEndpoints)).LogWarning(
                "Actor {ActorId} has an unsafe avatar file name {FileName}; refusing it", actorId, actor.AvatarFilename);
            return FileMissing();
        }

        var info = await store.GetInfoAsync(key, ct);
        if (info is null) return FileMissing();
        // TryAvatar allows only [A-Za-z0-9._-], so the name needs no escaping inside the quotes.
        return await MediaFileResults.ServeAsync(context, store, info, CacheControl, $"inline; filename=\"{key.FileName}\"", ct)
               ?? FileMissing();
    }

    private static IResult FileMissing() => ApiResults.Error(404, "头像文件不存在");
}
