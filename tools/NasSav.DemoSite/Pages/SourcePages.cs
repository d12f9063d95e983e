using System.Net;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Pages;

/// <summary>
/// The two source layouts (reference §4.4): a Jable-like page (og:title "AVID title", og:image,
/// <c>var hlsUrl = '…'</c>) and a MissAV-like page (og tags, stream id in packed JavaScript), plus
/// the unrelated page the JUNK switches answer with. <paramref name="site"/> is "http://host:port".
/// </summary>
public static class SourcePages
{
    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Jable(DemoTitle t, string site) => $$"""
        <!DOCTYPE html>
        <html lang="zh-Hant">
        <head>
        <meta charset="utf-8">
        <title>{{E(t.Avid)}} {{E(t.TitleJa)}} - Jable.TV | 免費高清AV在線看 | J片 AV看到飽</title>
        <meta property="og:type" content="video.movie">
        <meta property="og:title" content="{{E(t.Avid)}} {{E(t.TitleJa)}}">
        <meta property="og:image" content="{{site}}/contents/videos_screenshots/{{t.AvidLower}}/preview.jpg">
        <meta property="og:url" content="{{site}}/v/{{t.AvidLower}}">
        </head>
        <body>
        <div class="video-info">
          <div class="info-header"><div class="header-left"><h4>{{E(t.Avid)}} {{E(t.TitleJa)}}</h4>
          <h6><span class="inactive-color">{{E(t.Avid)}}</span> <span class="mr-3">{{t.ReleaseDate:yyyy-MM-dd}}</span></h6></div></div>
          <div class="models">{{string.Concat(t.Actors.Select(a => $"<a class=\"model\" href=\"/models/{a.Id}/\"><span class=\"placeholder rounded-circle\" data-toggle=\"tooltip\" title=\"{E(a.Name)}\">{E(a.Name[..1])}</span></a>"))}}</div>
        </div>
        <video id="player" playsinline controls preload="none" poster="{{site}}/contents/videos_screenshots/{{t.AvidLower}}/preview.jpg"></video>
        <script>
        var hlsUrl = '{{site}}/hls/{{t.Avid}}/playlist.m3u8';
        var pageTitle = 'Jable.TV';
        </script>
        </body>
        </html>
        """;

    public static string MissAv(DemoTitle t, string site) => $$"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>{{E(t.Avid)}} {{E(t.TitleZh)}} - MissAV | 免费高清AV在线看</title>
        <meta property="og:site_name" content="MissAV">
        <meta property="og:title" content="{{E(t.Avid)}} {{E(t.TitleZh)}}">
        <meta property="og:image" content="{{site}}/fourhoi/{{t.AvidLower}}/cover-n.jpg">
        <meta property="og:video:release_date" content="{{t.ReleaseDate:yyyy-MM-dd}}">
        </head>
        <body>
        <h1 class="text-base text-nord6">{{E(t.Avid)}} {{E(t.TitleZh)}}</h1>
        <script type="text/javascript">
        {{PackedSource(t.Uuid)}}
        </script>
        </body>
        </html>
        """;

    /// <summary>
    /// MissAV's packed player script: the stream uuid's parts, reversed, between "m3u8" and
    /// "com|surrit|https|video" in the word list (reference §4.4). Unpacked it reads
    /// <c>source='https://surrit.com/{uuid}/playlist.m3u8'</c>; the demo site serves that path as
    /// <c>/surrit/{uuid}/playlist.m3u8</c>.
    /// </summary>
    public static string PackedSource(string uuid)
    {
        var parts = uuid.Split('-');
        var words = string.Join('|', ["m3u8", .. parts.Reverse(), "com", "surrit", "https", "video", "playlist", "source"]);
        return "eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c])}}return p}" +
               $"('b=\\'8://7.6/5-4-3-2-1/a.0\\';',36,12,'{words}'.split('|'),0,{{}}))";
    }

    /// <summary>A 200 page that is not a video page: no og:title of an AVID, no stream.</summary>
    public static string Junk(string site) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Welcome - Demo Portal</title>
        <meta property="og:title" content="Demo Portal | Home">
        <meta property="og:image" content="{{site}}/static/logo.png">
        </head>
        <body>
        <h1>Nothing to see here</h1>
        <p>This page is unrelated HTML on purpose: it has no video title, no cover of an AVID and no stream URL.</p>
        <script>var pageTitle = 'Demo Portal'; var hlsPlayer = null;</script>
        </body>
        </html>
        """;
}
