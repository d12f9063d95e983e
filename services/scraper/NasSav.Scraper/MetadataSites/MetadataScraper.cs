using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Scraping;
using NasSav.Scraper.Avatars;
using NasSav.Scraper.Covers;
using NasSav.Scraper.Extraction;
using NasSav.Scraper.Http;
using NasSav.Scraper.Sources;
using NasSav.Media.Avids;

namespace NasSav.Scraper.MetadataSites;

/// <summary>
/// ScrapeMetadata's work: the metadata sites in order until one has the AVID's page; then the cover
/// (the site's, with its referer; else the source's, with the source cookie and page as referer) and
/// the actors' avatars. A failed cover or avatar never fails the scrape.
/// </summary>
public sealed class MetadataScraper(
    ScraperHttp http,
    IOptions<MetadataSitesOptions> sites,
    IOptions<ScraperOptions> options,
    CoverSaver covers,
    AvatarSaver avatars,
    SourceHealth health,
    TimeProvider time,
    ILogger<MetadataScraper> logger)
{
    /// <returns>A <see cref="MetadataScraped"/> or a <see cref="MetadataNotFound"/>.</returns>
    public async Task<object> ScrapeAsync(ScrapeMetadata command, CancellationToken ct)
    {
        if (!Avid.TryParse(command.Avid, out var avid, out var error))
            return new MetadataNotFound { CorrelationId = command.CorrelationId, Avid = command.Avid ?? "", Reason = error };

        var attempts = new List<SourceAttempt>();
        MetadataPage? found = null;
        MetadataSite? site = null;
        foreach (var candidate in sites.Value.Items)
        {
            var (attempt, page) = await TrySiteAsync(candidate, avid, ct);
            attempts.Add(attempt);
            health.Record(attempt);
            if (page is null) continue;
            found = page;
            site = candidate;
            break;
        }

        var coverCandidates = new List<CoverCandidate>();
        if (found?.CoverUrl is { } siteCover)
            coverCandidates.Add(new CoverCandidate(siteCover, "site:" + site!.Name, site.ImageReferer, null, $"metadata site {site.Name}"));
        if (!string.IsNullOrWhiteSpace(command.SourceCoverUrl))
            coverCandidates.Add(new CoverCandidate(command.SourceCoverUrl, "source:" + (command.SourceName ?? "unknown").ToLowerInvariant(),
                command.SourcePageUrl, command.SourceCookie, $"source {command.SourceName}"));
        var coverSaved = command.DownloadCover && await covers.SaveAsync(avid, coverCandidates, ct);

        if (found is null)
        {
            var list = string.Join(", ", attempts.Select(a => $"{a.Source}:{SourceFailure.Label(a)}"));
            var reason = attempts.Count == 0 ? "没有可用的元数据站点" : $"获取{avid}元数据失败。{list}";
            return new MetadataNotFound { CorrelationId = command.CorrelationId, Avid = avid.Value, Reason = reason, CoverSaved = coverSaved, Attempts = attempts };
        }

        var actors = new List<ScrapedActor>();
        foreach (var actor in found.Actors)
        {
            var file = actor.AvatarUrl is null ? null : await avatars.SaveAsync(actor.AvatarUrl, "site:" + site!.Name, site.ImageReferer, ct);
            actors.Add(actor with { AvatarFile = file });
        }
        return new MetadataScraped
        {
            CorrelationId = command.CorrelationId,
            Avid = avid.Value,
            Site = site!.Name,
            Title = found.Title,
            ReleaseDate = found.ReleaseDate,
            DurationMinutes = found.DurationMinutes,
            Studio = found.Studio,
            Label = found.Label,
            Series = found.Series,
            Director = found.Director,
            Genres = found.Genres,
            Actors = actors,
            CoverUrl = found.CoverUrl,
            CoverSaved = coverSaved,
            Attempts = attempts,
        };
    }

    private async Task<(SourceAttempt Attempt, MetadataPage? Page)> TrySiteAsync(MetadataSite site, Avid avid, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var variables = site.Variables(avid.Value);
        var url = Templates.Expand(site.PageUrl, variables);
        SourceAttempt Attempt(string outcome, int? code, string? detail) => new()
        {
            Source = site.Name,
            Outcome = outcome,
            StatusCode = code,
            Detail = detail,
            At = started,
            ElapsedMs = clock.Elapsed.TotalMilliseconds,
        };

        var result = await http.GetAsync(new FetchRequest
        {
            Uri = new Uri(url),
            Client = "site:" + site.Name,
            Referer = site.Referer is null ? null : Templates.Expand(site.Referer, variables),
            Headers = site.Headers,
        }, ct);
        if (!result.IsSuccess) return (Attempt(result.Outcome, result.StatusCode, $"{url}: {result.Describe()}"), null);
        MetadataPage page;
        try
        {
            page = MetadataPageParser.Parse(site, new PageContext(result.Text, result.FinalUri ?? new Uri(url), avid.Value, variables), options.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Parsing {Url} failed", url);
            return (Attempt(SourceAttempt.ParseFailed, null, $"{url}: {e.Message}"), null);
        }
        return page.IsOk
            ? (Attempt(SourceAttempt.Ok, result.StatusCode, url), page)
            : (Attempt(page.Outcome, null, $"{url}: {page.Detail}"), null);
    }
}
