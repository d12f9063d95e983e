using System.Net;
using System.Text;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Pages;

/// <summary>The AVIDs with their stream kind, switches and links to every page.</summary>
public static class IndexPage
{
    public static string Render(DemoCatalog catalog)
    {
        var rows = new StringBuilder();
        foreach (var t in catalog.Titles)
        {
            var notes = new List<string>();
            if (t.PrimaryFailure != Failure.None) notes.Add($"source 1: {t.PrimaryFailure}");
            if (t.SecondaryFailure != Failure.None) notes.Add($"source 2: {t.SecondaryFailure}");
            if (t.Metadata != MetadataKind.Normal) notes.Add($"metadata: {t.Metadata}");
            if (t.Actors.Any(a => a.Placeholder)) notes.Add("placeholder avatar");
            rows.Append($"""
                <tr><td>{t.Avid}</td><td>{WebUtility.HtmlEncode(t.TitleJa)}</td><td>{t.Stream}</td>
                <td><a href="/v/{t.AvidLower}">source 1</a> · <a href="/cn/{t.AvidLower}">source 2</a> · <a href="/bus/{t.Avid}">metadata</a> · <a href="/hls/{t.Avid}/playlist.m3u8">m3u8</a></td>
                <td>{string.Join("; ", notes)}</td></tr>

                """);
        }
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>NasSav demo site</title>
            <style>body{"{"}font-family:sans-serif{"}"} td{"{"}padding:2px 8px{"}"}</style></head>
            <body>
            <h1>NasSav demo site</h1>
            <p>{catalog.Titles.Count} AVIDs. Switches and URL layout: tools/NasSav.DemoSite/README.md. Query flags on any page: <code>?fail=403|404|500|slow|junk</code>, <code>?delay=ms</code>.</p>
            <table>
            <tr><th>AVID</th><th>title</th><th>stream</th><th>pages</th><th>switches</th></tr>
            {rows}</table>
            </body></html>
            """;
    }
}
