using System.Text.RegularExpressions;
using NasSav.DemoSite.Catalog;
using NasSav.DemoSite.Media;

namespace NasSav.DemoSite.Streams;

/// <summary>
/// HLS for every AVID, all pointing at the two shared cuts of one clip (plain and AES-128):
/// <list type="bullet">
/// <item><c>/hls/{AVID}/playlist.m3u8</c>: the media playlist (Plain, Aes), or for Master AVIDs a master
/// playlist whose variants <c>{720p,1080p,360p}/playlist.m3u8</c> are plain media playlists;</item>
/// <item><c>/surrit/{uuid}/playlist.m3u8</c> (MissAV-like source): always a master playlist with
/// <c>842x480/video.m3u8</c> and <c>1280x720/video.m3u8</c>, variants being the AVID's plain or AES playlist;</item>
/// <item>segments <c>seg{N}.ts</c> and the key <c>key.bin</c> next to each media playlist (relative URIs).</item>
/// </list>
/// </summary>
public static partial class StreamEndpoints
{
    public const string MpegUrl = "application/vnd.apple.mpegurl";

    private static readonly (string Name, int Bandwidth, string Resolution)[] HlsVariants =
        [("720p", 1_400_000, "1280x720"), ("1080p", 2_800_000, "1920x1080"), ("360p", 600_000, "640x360")];
    private static readonly (string Name, int Bandwidth, string Resolution)[] SurritVariants =
        [("842x480", 1_100_000, "842x480"), ("1280x720", 2_100_000, "1280x720")];

    [GeneratedRegex(@"^(seg\d+\.ts|key\.bin)$")]
    private static partial Regex StreamFile();

    public static void MapStreams(this WebApplication app)
    {
        app.MapGet("/hls/{avid}/{**path}", (string avid, string path, HttpContext ctx, DemoCatalog catalog, MediaCache media, DemoOptions options) =>
        {
            var title = catalog.Find(avid);
            if (title is null) return Task.FromResult(Results.NotFound());
            var parts = path.Split('/');
            var variantNames = title.Stream == StreamKind.Master ? HlsVariants.Select(v => v.Name).ToArray() : [];
            return Serve(parts, title.Stream == StreamKind.Master ? HlsVariants : null, variantNames, "playlist.m3u8",
                title.Stream == StreamKind.Aes, media, options, ctx);
        });

        // The latency can change while the site runs: a test slows a download down until a fault has landed in it,
        // then lets it finish.
        app.MapPost("/control/segment-delay", (int ms, DemoOptions options) =>
        {
            if (ms is < 0 or > 600_000) return Results.BadRequest("ms must be 0-600000");
            options.SegmentDelayMs = ms;
            return Results.Ok(new { segment_delay_ms = ms });
        });

        app.MapGet("/surrit/{uuid}/{**path}", (string uuid, string path, HttpContext ctx, DemoCatalog catalog, MediaCache media, DemoOptions options) =>
        {
            var title = catalog.FindByUuid(uuid);
            if (title is null) return Task.FromResult(Results.NotFound());
            return Serve(path.Split('/'), SurritVariants, SurritVariants.Select(v => v.Name).ToArray(), "video.m3u8",
                title.Stream == StreamKind.Aes, media, options, ctx);
        });
    }

    /// <summary>
    /// <paramref name="parts"/>: "playlist.m3u8" (master when <paramref name="master"/> is given, else media),
    /// "{variant}/{variantPlaylist}", or a segment/key file at either level.
    /// </summary>
    private static async Task<IResult> Serve(string[] parts, (string Name, int Bandwidth, string Resolution)[]? master,
        string[] variantNames, string variantPlaylist, bool aes, MediaCache media, DemoOptions options, HttpContext ctx)
    {
        var inVariant = parts.Length == 2 && variantNames.Contains(parts[0]);
        if (parts.Length > 2 || (parts.Length == 2 && !inVariant)) return Results.NotFound();
        var file = parts[^1];
        var dir = media.StreamDir(aes);

        if (parts.Length == 1 && file == "playlist.m3u8")
            return master is null
                ? Results.File(Path.Combine(dir, "playlist.m3u8"), MpegUrl)
                : Results.Text(Master(master, variantPlaylist), MpegUrl);
        if (inVariant && file == variantPlaylist) return Results.File(Path.Combine(dir, "playlist.m3u8"), MpegUrl);
        if (!StreamFile().IsMatch(file) || !File.Exists(Path.Combine(dir, file))) return Results.NotFound();
        if (file.EndsWith(".ts", StringComparison.Ordinal) && options.SegmentDelayMs > 0)
            await Task.Delay(options.SegmentDelayMs, ctx.RequestAborted);
        return Results.File(Path.Combine(dir, file), file.EndsWith(".ts", StringComparison.Ordinal) ? "video/mp2t" : "application/octet-stream");
    }

    private static string Master((string Name, int Bandwidth, string Resolution)[] variants, string playlist) =>
        "#EXTM3U\n#EXT-X-VERSION:3\n" + string.Concat(variants.Select(v =>
            $"#EXT-X-STREAM-INF:BANDWIDTH={v.Bandwidth},RESOLUTION={v.Resolution}\n{v.Name}/{playlist}\n"));
}
