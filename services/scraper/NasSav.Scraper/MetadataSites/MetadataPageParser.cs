using System.Globalization;
using NasSav.Contracts.Scraping;
using NasSav.Scraper.Extraction;
using NasSav.Scraper.Sources;

namespace NasSav.Scraper.MetadataSites;

public sealed record MetadataPage
{
    public required string Outcome { get; init; }
    public string? Detail { get; init; }
    public string Title { get; init; } = "";
    public string ReleaseDate { get; init; } = "";
    public int? DurationMinutes { get; init; }
    public string? Studio { get; init; }
    public string? Label { get; init; }
    public string? Series { get; init; }
    public string? Director { get; init; }
    public IReadOnlyList<string> Genres { get; init; } = [];
    public IReadOnlyList<ScrapedActor> Actors { get; init; } = [];
    public string? CoverUrl { get; init; }

    public bool IsOk => Outcome == SourceAttempt.Ok;
}

/// <summary>Applies a metadata site's rules to one fetched page. Pure: no I/O, never throws on content.</summary>
public static class MetadataPageParser
{
    public static MetadataPage Parse(MetadataSite site, PageContext page, ScraperOptions options)
    {
        var rules = site.Rules;
        var pageAvid = rules.PageAvid.First(page);
        if (pageAvid is null)
            return new MetadataPage { Outcome = SourceAttempt.ParseFailed, Detail = "the page names no AVID (PageAvid rule found nothing)" };
        if (!AvidText.Same(pageAvid, page.Avid))
            return new MetadataPage { Outcome = SourceAttempt.WrongPage, Detail = $"the page is about {pageAvid}, not {page.Avid}" };
        var title = rules.Title.First(page);
        if (title is null) return new MetadataPage { Outcome = SourceAttempt.ParseFailed, Detail = "the Title rule found nothing" };

        var date = rules.ReleaseDate?.First(page);
        if (date is null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) date = "";
        int? duration = int.TryParse(rules.Duration?.First(page), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes : null;

        var dropped = new HashSet<string>(options.EffectiveDroppedGenres.Select(g => g.Trim()), StringComparer.OrdinalIgnoreCase);
        var genres = (rules.Genres?.All(page) ?? [])
            .Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g!.Trim())
            .Where(g => !dropped.Contains(g))
            .Distinct(StringComparer.Ordinal).ToList();

        var names = rules.ActorNames?.All(page) ?? [];
        var avatars = rules.ActorAvatars?.All(page) ?? [];
        var actors = new List<ScrapedActor>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i]?.Trim();
            if (string.IsNullOrEmpty(name) || actors.Any(a => a.Name == name)) continue;
            var avatar = i < avatars.Count && avatars.Count == names.Count ? page.ResolveUrl(avatars[i]) : null;
            if (avatar is not null && IsPlaceholder(avatar, options.EffectivePlaceholderAvatarUrls)) avatar = null;
            actors.Add(new ScrapedActor { Name = name, AvatarUrl = avatar });
        }

        return new MetadataPage
        {
            Outcome = SourceAttempt.Ok,
            Title = title,
            ReleaseDate = date,
            DurationMinutes = duration,
            Studio = rules.Studio?.First(page),
            Label = rules.Label?.First(page),
            Series = rules.Series?.First(page),
            Director = rules.Director?.First(page),
            Genres = genres,
            Actors = actors,
            CoverUrl = page.ResolveUrl(rules.Cover?.First(page)),
        };
    }

    /// <summary>A full URL in the list matches exactly; a bare file name matches the URL's last segment.</summary>
    public static bool IsPlaceholder(string url, IEnumerable<string> placeholders)
    {
        var last = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Segments[^1] : url;
        foreach (var p in placeholders)
        {
            if (string.IsNullOrWhiteSpace(p)) continue;
            if (p.Contains("://", StringComparison.Ordinal) ? string.Equals(p.Trim(), url, StringComparison.OrdinalIgnoreCase)
                    : string.Equals(p.Trim(), last, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
