using System.Globalization;
using System.Text;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Pages;

/// <summary>
/// Source pages (Jable-like /v/{avid}, MissAV-like /cn/{avid}[-chinese-subtitle]), metadata pages
/// (/bus/{AVID}), the index and /health. Each source page obeys the AVID's failure switch, or
/// <c>?fail=403|404|500|slow|junk</c> (and <c>?delay=ms</c>) given on any page URL.
/// </summary>
public static class PageEndpoints
{
    public static void MapPages(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapGet("/", (DemoCatalog catalog) => Html(200, IndexPage.Render(catalog)));
        app.MapGet("/avids.json", (DemoCatalog catalog) => Results.Json(catalog.Titles.Select(t => new
        {
            avid = t.Avid, stream = t.Stream.ToString(), primary = t.PrimaryFailure.ToString(),
            secondary = t.SecondaryFailure.ToString(), metadata = t.Metadata.ToString(),
        })));

        app.MapGet("/v/{avid}", (string avid, HttpContext ctx, DemoCatalog catalog, DemoOptions options) =>
            Answer(ctx, options, catalog.Find(avid), t => t.PrimaryFailure, t => SourcePages.Jable(t, Site(ctx))));

        app.MapGet("/cn/{slug}", (string slug, HttpContext ctx, DemoCatalog catalog, DemoOptions options) =>
        {
            const string subtitle = "-chinese-subtitle";
            var isSubtitle = slug.EndsWith(subtitle, StringComparison.OrdinalIgnoreCase);
            var title = catalog.Find(isSubtitle ? slug[..^subtitle.Length] : slug);
            if (isSubtitle && title is { HasSubtitlePage: false, SecondaryFailure: Failure.None }) title = null;   // a failure switch fails every URL
            return Answer(ctx, options, title, t => t.SecondaryFailure, t => SourcePages.MissAv(t, Site(ctx)));
        });

        app.MapGet("/bus/{avid}", (string avid, HttpContext ctx, DemoCatalog catalog, DemoOptions options) =>
        {
            var title = catalog.Find(avid);
            var page = title is null ? null : catalog.MetadataPageFor(title);
            return Answer(ctx, options, page is null ? null : title, _ => Failure.None, _ => BusPage.Render(page!));
        });
    }

    public static string Site(HttpContext ctx) => $"{ctx.Request.Scheme}://{ctx.Request.Host}";

    private static async Task<IResult> Answer(HttpContext ctx, DemoOptions options, DemoTitle? title,
        Func<DemoTitle, Failure> failureOf, Func<DemoTitle, string> render)
    {
        var failure = ParseFail(ctx.Request.Query["fail"]) ?? (title is null ? Failure.NotFound : failureOf(title));
        var delay = int.TryParse(ctx.Request.Query["delay"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms
            : failure == Failure.Slow ? options.SlowMs : 0;
        if (delay > 0) await Task.Delay(delay, ctx.RequestAborted);
        return failure switch
        {
            Failure.Forbidden => Html(403, """
                <!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
                <body><h1>Checking your browser before accessing the site.</h1><noscript>Enable JavaScript and cookies to continue</noscript></body></html>
                """),
            Failure.NotFound => Html(404, "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"),
            Failure.ServerError => Html(500, "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>"),
            Failure.Junk => Html(200, SourcePages.Junk(Site(ctx))),
            _ => title is null ? Html(404, "not found") : Html(200, render(title)),
        };
    }

    private static Failure? ParseFail(string? value) => value?.ToLowerInvariant() switch
    {
        "403" => Failure.Forbidden,
        "404" => Failure.NotFound,
        "500" => Failure.ServerError,
        "slow" => Failure.Slow,
        "junk" => Failure.Junk,
        _ => null,
    };

    public static IResult Html(int status, string html) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
