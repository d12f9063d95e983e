using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Scraping;
using NasSav.Scraper.Extraction;
using NasSav.Scraper.Http;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Scraper.Sources;

/// <summary>
/// FetchSource's work: the asked source, or every registered one in weight order, until one gives a
/// playlist. Each source's page URLs are tried in order; each source gives one <see cref="SourceAttempt"/>.
/// </summary>
public sealed class SourceResolver(
    ScraperHttp http,
    IOptions<ScraperSourcesOptions> sources,
    IOptions<ScraperOptions> options,
    IMediaStore store,
    SourceHealth health,
    TimeProvider time,
    ILogger<SourceResolver> logger)
{
    private sealed record Hit(ScraperSource Source, string M3u8, string? Title, string? Cover, string PageUrl);

    /// <returns>A <see cref="SourceResolved"/> or a <see cref="SourceNotResolved"/>.</returns>
    public async Task<object> ResolveAsync(FetchSource command, CancellationToken ct)
    {
        if (!Avid.TryParse(command.Avid, out var avid, out var error))
            return new SourceNotResolved { CorrelationId = command.CorrelationId, Avid = command.Avid ?? "", Code = 400, Message = error };

        var any = string.IsNullOrWhiteSpace(command.Source) || command.Source.Trim().Equals("any", StringComparison.OrdinalIgnoreCase);
        var candidates = any ? sources.Value.ByWeight
            : sources.Value.Find(command.Source) is { } named ? [named] : [];
        var attempts = new List<SourceAttempt>();
        foreach (var source in candidates)
        {
            var cookie = command.Cookies.FirstOrDefault(c => c.Key.Equals(source.Key, StringComparison.OrdinalIgnoreCase)).Value;
            var (attempt, hit) = await TrySourceAsync(source, avid, cookie, ct);
            attempts.Add(attempt);
            health.Record(attempt);
            if (hit is null) continue;
            return new SourceResolved
            {
                CorrelationId = command.CorrelationId,
                Avid = avid.Value,
                Source = hit.Source.Name,
                SourceTitle = hit.Title,
                M3u8 = hit.M3u8,
                CoverUrl = hit.Cover,
                PageUrl = hit.PageUrl,
                Attempts = attempts,
            };
        }
        var code = SourceFailure.Code(attempts);
        var message = SourceFailure.Message(avid.Value, code, attempts);
        if (!any && candidates.Count == 0) message += $"源 {command.Source} 不存在";
        logger.LogInformation("{Avid} not resolved: {Message}", avid, message);
        return new SourceNotResolved { CorrelationId = command.CorrelationId, Avid = avid.Value, Code = code, Message = message, Attempts = attempts };
    }

    private async Task<(SourceAttempt Attempt, Hit? Hit)> TrySourceAsync(ScraperSource source, Avid avid, string? cookie, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var variables = source.Variables(avid.Value);
        var referer = source.Referer is null ? null : Templates.Expand(source.Referer, variables);
        (string Outcome, int? Code, string Detail)? worst = null;
        var details = new List<string>();

        void Fail(string outcome, int? code, string detail)
        {
            details.Add(detail);
            if (worst is null || SourceFailure.Severity(outcome) >= SourceFailure.Severity(worst.Value.Outcome)) worst = (outcome, code, detail);
        }

        foreach (var template in source.PageUrls)
        {
            var url = Templates.Expand(template, variables);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) continue;
            var page = await http.GetAsync(new FetchRequest
            {
                Uri = uri,
                Client = "source:" + source.Key,
                Referer = referer,
                Cookie = cookie,
                Headers = source.Headers,
            }, ct);
            if (!page.IsSuccess)
            {
                Fail(page.Outcome, page.StatusCode, $"{url}: {page.Describe()}");
                continue;
            }
            var pageUri = page.FinalUri ?? uri;
            SourcePage parsed;
            try
            {
                parsed = SourcePageParser.Parse(source, new PageContext(page.Text, pageUri, avid.Value, variables));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A parser bug must not fail the command: the page simply did not parse.
                logger.LogError(e, "Parsing {Url} failed", url);
                parsed = new SourcePage(SourceAttempt.ParseFailed, e.Message);
            }
            if (!parsed.IsOk)
            {
                Fail(parsed.Outcome, null, $"{url}: {parsed.Detail}");
                continue;
            }
            var (m3u8, playlistFailure) = await ResolvePlaylistAsync(source, parsed.M3u8!, pageUri, cookie, ct);
            if (m3u8 is null)
            {
                Fail(playlistFailure!.Value.Outcome, playlistFailure.Value.Code, $"{url}: {playlistFailure.Value.Detail}");
                continue;
            }
            await KeepPageAsync(avid, page.Body, ct);
            details.Add($"{url}: ok");
            var ok = new SourceAttempt
            {
                Source = source.Name,
                Outcome = SourceAttempt.Ok,
                StatusCode = page.StatusCode,
                Detail = string.Join("; ", details),
                At = started,
                ElapsedMs = clock.Elapsed.TotalMilliseconds,
            };
            return (ok, new Hit(source, m3u8, parsed.Title, parsed.Cover, pageUri.AbsoluteUri));
        }
        var failed = new SourceAttempt
        {
            Source = source.Name,
            Outcome = worst?.Outcome ?? SourceAttempt.ParseFailed,
            StatusCode = worst?.Code,
            Detail = details.Count == 0 ? "no usable page URL" : string.Join("; ", details),
            At = started,
            ElapsedMs = clock.Elapsed.TotalMilliseconds,
        };
        return (failed, null);
    }

    /// <summary>
    /// Fetches the playlist: a master is replaced by its highest-bandwidth variant. With VerifyM3u8 a
    /// playlist that does not answer, or is not one, fails the page; without, the URL is kept as found.
    /// </summary>
    private async Task<(string? Url, (string Outcome, int? Code, string Detail)? Failure)> ResolvePlaylistAsync(
        ScraperSource source, string m3u8, Uri pageUri, string? cookie, CancellationToken ct)
    {
        var uri = new Uri(m3u8);
        var result = await http.GetAsync(new FetchRequest
        {
            Uri = uri,
            Client = "source:" + source.Key,
            Referer = pageUri.AbsoluteUri,
            Cookie = source.OwnsHost(uri) ? cookie : null,
            Accept = "*/*",
        }, ct);
        if (!result.IsSuccess)
        {
            if (!source.VerifyM3u8)
            {
                logger.LogInformation("Playlist {Url} not checked ({Result}); kept as found", m3u8, result.Describe());
                return (m3u8, null);
            }
            return (null, (result.Outcome, result.StatusCode, $"m3u8 {m3u8}: {result.Describe()}"));
        }
        var text = result.Text;
        if (!Playlist.IsPlaylist(text))
            return source.VerifyM3u8 ? (null, (SourceAttempt.ParseFailed, null, $"m3u8 {m3u8}: not a playlist")) : (m3u8, null);
        if (!Playlist.IsMaster(text)) return (m3u8, null);
        var best = Playlist.Best(text, result.FinalUri ?? uri);
        if (best is null)
            return source.VerifyM3u8 ? (null, (SourceAttempt.ParseFailed, null, $"m3u8 {m3u8}: master playlist without variants")) : (m3u8, null);
        return (best.Uri, null);
    }

    private async Task KeepPageAsync(Avid avid, byte[] body, CancellationToken ct)
    {
        if (!options.Value.KeepPages) return;
        try
        {
            using var content = new MemoryStream(body, writable: false);
            await store.WriteAsync(MediaKey.SourcePage(avid), content, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Source page of {Avid} not kept", avid);
        }
    }
}
