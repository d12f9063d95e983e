using NasSav.Contracts.Scraping;
using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.Sources;

public sealed record SourcePage(string Outcome, string? Detail, string? M3u8 = null, string? Title = null, string? Cover = null)
{
    public bool IsOk => Outcome == SourceAttempt.Ok;
}

/// <summary>Applies a source's rules to one fetched page. Pure: no I/O, never throws on content.</summary>
public static class SourcePageParser
{
    public static SourcePage Parse(ScraperSource source, PageContext page)
    {
        var pageAvid = source.PageAvid?.First(page);
        if (pageAvid is not null && !AvidText.Same(pageAvid, page.Avid))
            return new SourcePage(SourceAttempt.WrongPage, $"the page is about {pageAvid}, not {page.Avid}");
        var m3u8 = page.ResolveUrl(source.M3u8.First(page));
        if (m3u8 is null) return new SourcePage(SourceAttempt.ParseFailed, "the M3u8 rule found nothing");
        return new SourcePage(SourceAttempt.Ok, null, m3u8, source.Title?.First(page), page.ResolveUrl(source.Cover?.First(page)));
    }
}

public static class AvidText
{
    /// <summary>Same AVID as written on a page: case, spaces, hyphens and underscores aside.</summary>
    public static bool Same(string onPage, string requested) => Squash(onPage) == Squash(requested);

    private static string Squash(string s) =>
        new(s.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
