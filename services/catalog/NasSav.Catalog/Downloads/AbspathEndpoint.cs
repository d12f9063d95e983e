using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Downloads;

/// <summary>
/// <c>GET /downloads/abspath?avid=</c>: where the video is, prefixed with Data:FilePathPrefix (empty by default,
/// never the peer's "None/"): its absolute path in the media folder, or /bucket/prefix/video/{AVID}.mp4 in an S3
/// bucket (docs/operations.md). It comes from the media store by key, so it is always inside the media root or the
/// bucket's prefix; the AVID is validated before it gets near a path.
/// </summary>
public static class AbspathEndpoint
{
    public static IEndpointRouteBuilder MapAbspathEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ApiPipeline.ApiPrefix + "/downloads/abspath", HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, IMediaStore store, IOptions<DataOptions> data, CancellationToken ct)
    {
        var rawAvid = context.Request.Query["avid"].ToString();
        if (rawAvid.Length == 0) return ApiResults.Error(400, "avid参数缺失");
        if (!Avid.TryParse(rawAvid, out var avid, out var error)) return ApiResults.Error(400, error);

        var key = MediaKey.Video(avid);
        if (await store.GetInfoAsync(key, ct) is null) return ApiResults.Error(404, $"视频 {avid} 不存在");

        return ApiResults.Ok(new Dictionary<string, string> { ["abspath"] = data.Value.FilePathPrefix + store.Locate(key) });
    }
}
