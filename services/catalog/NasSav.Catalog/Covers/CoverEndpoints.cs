using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Http;
using NasSav.Catalog.Thumbnails;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;
using NasSav.Media.Processes;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Covers;

/// <summary><c>GET|HEAD /resource/cover?avid=&amp;size=</c>: the original cover or a small|medium|large thumbnail.</summary>
public static class CoverEndpoints
{
    /// <summary>List URLs carry a <c>v=</c> cache buster (the cover's mtime), so a year is safe for them.</summary>
    public const string VersionedCacheControl = "public, max-age=31536000";
    /// <summary>
    /// The detail and downloads pages ask without <c>v=</c>: a year there would keep a cover replaced by
    /// a refresh stale (the peer's behaviour); revalidating costs a 304.
    /// </summary>
    public const string UnversionedCacheControl = "public, no-cache";

    public static IServiceCollection AddCoverThumbnails(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediaTools(configuration);
        services.AddSingleton<IThumbnailer, FfmpegThumbnailer>();
        services.AddSingleton<ThumbnailService>();
        services.AddBusContribution(x => x.AddConsumer<CoverThumbnailsConsumer, CoverThumbnailsConsumerDefinition>());
        return services;
    }

    public static IEndpointRouteBuilder MapCoverEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ApiPipeline.ApiPrefix + "/resource/cover", [HttpMethods.Get, HttpMethods.Head], ServeAsync);
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(HttpContext context, CoverLocator covers, ThumbnailService thumbnails,
        IMediaStore store, CancellationToken ct)
    {
        var query = context.Request.Query;
        var rawAvid = query["avid"].ToString();
        if (rawAvid.Length == 0) return ApiResults.Error(400, "avid参数缺失");
        if (!Avid.TryParse(rawAvid, out var avid, out var error)) return ApiResults.Error(400, error);

        ThumbnailSize? size = null;
        var rawSize = query["size"].ToString();
        if (rawSize.Length > 0)
        {
            if (!ThumbnailService.TryParseSize(rawSize, out var parsed)) return ApiResults.Error(400, "size 参数无效，支持 small|medium|large");
            size = parsed;
        }

        var cover = await covers.FindAsync(avid, ct);
        if (cover is null) return NotFound(avid);

        var served = size is { } s ? await thumbnails.GetOrCreateAsync(avid, cover, s, ct) ?? cover : cover;
        var cacheControl = query.ContainsKey("v") ? VersionedCacheControl : UnversionedCacheControl;
        return await MediaFileResults.ServeAsync(context, store, served, cacheControl, ct: ct) ?? NotFound(avid);
    }

    private static IResult NotFound(Avid avid) => ApiResults.Error(404, $"封面 {avid} 不存在");
}
