using System.Net;
using System.Text;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Pages;

/// <summary>
/// A JavBus-style movie page (reference §4.5): description meta with 【發行日期】/【長度】/(AVID)title,
/// header spans, genres as <c>span.genre label a</c>, actors as <c>a.avatar-box img</c> (full name in
/// the title, truncated in the span), cover in <c>a.bigImage</c>. Cover and avatar URLs are relative.
/// </summary>
public static class BusPage
{
    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Render(DemoTitle t)
    {
        var cover = $"/pics/cover/{t.AvidLower}_b.jpg";
        var header = new StringBuilder();
        header.Append($"<p><span class=\"header\">識別碼:</span> <span style=\"color:#CC0000;\">{E(t.Avid)}</span></p>\n");
        header.Append($"<p><span class=\"header\">發行日期:</span> {t.ReleaseDate:yyyy-MM-dd}</p>\n");
        header.Append($"<p><span class=\"header\">長度:</span> {t.DurationMinutes}分鐘</p>\n");
        if (t.Director is not null) header.Append(Link("導演", "director", t.Director));
        header.Append(Link("製作商", "studio", t.Studio));
        header.Append(Link("發行商", "label", t.Label));
        if (t.Series is not null) header.Append(Link("系列", "series", t.Series));

        var genres = string.Concat(t.Genres.Select((g, i) =>
            $"<span class=\"genre\"><label><input type=\"checkbox\" name=\"gr_sel\" value=\"{i + 1}\"><a href=\"/genre/{Uri.EscapeDataString(g)}\">{E(g)}</a></label></span>\n"));
        // Real pages also list the stars as span.genre without a label: a genre selector must not take them.
        var stars = string.Concat(t.Actors.Select(a =>
            $"<span class=\"genre\" onmouseover=\"hoverdiv(event,'star_{a.Id}')\"><a href=\"/star/{a.Id}\">{E(a.Name)}</a></span>\n"));
        var avatars = string.Concat(t.Actors.Select(a => $"""
            <a class="avatar-box" href="/star/{a.Id}">
            <div class="photo-frame">
            <img src="{a.AvatarPath}" title="{E(a.Name)}">
            </div>
            <span>{E(Truncate(a.Name))}</span>
            </a>

            """));

        return $$"""
            <!DOCTYPE html>
            <html lang="zh-Hant">
            <head>
            <meta charset="utf-8">
            <title>{{E(t.Avid)}} {{E(t.TitleJa)}} - JavBus</title>
            <meta name="keywords" content="{{E(t.Avid)}},{{E(t.Studio)}},{{E(t.Label)}}">
            <meta name="description" content="【發行日期】{{t.ReleaseDate:yyyy-MM-dd}}，【長度】{{t.DurationMinutes}}分鐘，({{E(t.Avid)}}){{E(t.TitleJa)}}">
            </head>
            <body>
            <div class="container">
            <h3>{{E(t.Avid)}} {{E(t.TitleJa)}}</h3>
            <div class="row movie">
            <div class="col-md-9 screencap">
            <a class="bigImage" href="{{cover}}"><img src="{{cover}}" title="{{E(t.TitleJa)}}"></a>
            </div>
            <div class="col-md-3 info">
            {{header}}<p class="header">類別:</p>
            <p>
            {{genres}}</p>
            <p class="star-show"><span class="header">演員</span>:</p>
            <p>
            {{stars}}</p>
            </div>
            </div>
            <h4>演員</h4>
            <div id="avatar-waterfall">
            {{avatars}}</div>
            </div>
            </body>
            </html>
            """;
    }

    private static string Link(string header, string kind, string value) =>
        $"<p><span class=\"header\">{header}:</span> <a href=\"/{kind}/{Uri.EscapeDataString(value)}\">{E(value)}</a></p>\n";

    /// <summary>JavBus cuts long names in the span (めぐり（藤 for めぐり（藤浦めぐ）); the img title keeps the full name.</summary>
    private static string Truncate(string name) => name.Length > 6 ? name[..6] : name;
}
