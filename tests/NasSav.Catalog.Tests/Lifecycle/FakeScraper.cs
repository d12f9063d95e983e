using System.Collections.Concurrent;
using MassTransit;
using NasSav.Catalog.Tests.Covers;
using NasSav.Contracts.Scraping;
using NasSav.Contracts.Translation;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>What the fake scraper answers for one AVID's FetchSource.</summary>
public abstract record SourcePlan
{
    /// <summary>When set, the answer waits for it (to hold an AVID in ResolvingSource).</summary>
    public TaskCompletionSource? Gate { get; init; }

    public sealed record Resolve(string Source = "Jable", string? Title = "素人 テスト 作品", string? M3u8 = null) : SourcePlan;
    public sealed record NotResolved(int Code, string Message) : SourcePlan;
    public sealed record Throw(string Message) : SourcePlan;
    /// <summary>No answer at all (a lost scraper): the step times out.</summary>
    public sealed record Silent : SourcePlan;
}

/// <summary>What the fake scraper answers for one AVID's ScrapeMetadata.</summary>
public abstract record MetadataPlan
{
    public sealed record Scrape(
        string Title,
        string[] Actors,
        string[] Genres,
        bool WriteCover = true,
        int? Minutes = 120,
        string? Director = "監督 太郎") : MetadataPlan;
    public sealed record NotFound(bool WriteCover = false) : MetadataPlan;
    public sealed record Throw(string Message) : MetadataPlan;
    public sealed record Silent : MetadataPlan;
}

/// <summary>
/// The scraper service, faked at the message level: consumers of FetchSource and ScrapeMetadata that
/// answer with the real result contracts, following a per-AVID plan. Cover and avatar files are written
/// into the catalog's media store, as the real scraper does.
/// </summary>
public sealed class ScraperScript
{
    public ConcurrentDictionary<string, SourcePlan> Sources { get; } = new();
    public ConcurrentDictionary<string, MetadataPlan> Metadata { get; } = new();
    public ConcurrentQueue<FetchSource> Fetches { get; } = new();
    public ConcurrentQueue<ScrapeMetadata> Scrapes { get; } = new();
    public ConcurrentQueue<TranslateTitle> Translations { get; } = new();
    /// <summary>Most FetchSource handled at the same time.</summary>
    public int MaxConcurrentFetches => Volatile.Read(ref _maxConcurrent);
    /// <summary>Translator answer: null = no answer (the step times out).</summary>
    public Func<TranslateTitle, string?> Translate { get; set; } = t => "译:" + t.Text;
    /// <summary>When set, the translator answers TitleTranslationFailed with this reason (an LLM that is off); null: it translates.</summary>
    public string? FailReason { get; set; }

    private int _concurrent;
    private int _maxConcurrent;

    public SourcePlan SourceFor(string avid) => Sources.GetValueOrDefault(avid) ?? new SourcePlan.Resolve();

    public MetadataPlan MetadataFor(string avid) => Metadata.GetValueOrDefault(avid)
        ?? new MetadataPlan.Scrape($"{avid} の日本語タイトル", ["演員 花子", "演員 月子"], ["剧情", "单体"]);

    internal int Enter()
    {
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while ((seen = Volatile.Read(ref _maxConcurrent)) < now && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen) { }
        return now;
    }

    internal void Leave() => Interlocked.Decrement(ref _concurrent);

    public static string AvatarUrl(string actor) => $"https://meta.example/pics/actress/{Uri.EscapeDataString(actor)}.jpg";
    public static string AvatarFile(string actor) => $"a{Math.Abs(StringComparer.Ordinal.GetHashCode(actor)) % 100000}.jpg";
}

public sealed class FakeFetchSourceConsumer(ScraperScript script) : IConsumer<FetchSource>
{
    public async Task Consume(ConsumeContext<FetchSource> context)
    {
        var m = context.Message;
        script.Fetches.Enqueue(m);
        var plan = script.SourceFor(m.Avid);
        script.Enter();
        try
        {
            if (plan.Gate is not null) await plan.Gate.Task;
        }
        finally
        {
            script.Leave();
        }
        var at = DateTimeOffset.UtcNow;
        switch (plan)
        {
            case SourcePlan.Resolve r:
                await context.Publish(new SourceResolved
                {
                    CorrelationId = m.CorrelationId,
                    Avid = m.Avid,
                    Source = r.Source,
                    SourceTitle = r.Title,
                    M3u8 = r.M3u8 ?? $"https://cdn.example/{m.Avid.ToLowerInvariant()}/index.m3u8",
                    CoverUrl = $"https://src.example/{m.Avid}.jpg",
                    PageUrl = $"https://src.example/v/{m.Avid}",
                    Attempts =
                    [
                        new SourceAttempt { Source = "MissAV", Outcome = SourceAttempt.NotFound, StatusCode = 404, At = at },
                        new SourceAttempt { Source = r.Source, Outcome = SourceAttempt.Ok, StatusCode = 200, At = at },
                    ],
                });
                break;
            case SourcePlan.NotResolved n:
                await context.Publish(new SourceNotResolved
                {
                    CorrelationId = m.CorrelationId,
                    Avid = m.Avid,
                    Code = n.Code,
                    Message = n.Message,
                    Attempts = [new SourceAttempt { Source = "MissAV", Outcome = SourceAttempt.Forbidden, StatusCode = n.Code, Detail = "blocked", At = at }],
                });
                break;
            case SourcePlan.Throw t:
                throw new InvalidOperationException(t.Message);
        }
    }
}

public sealed class FakeScrapeMetadataConsumer(ScraperScript script, IMediaStore store) : IConsumer<ScrapeMetadata>
{
    private static readonly SemaphoreSlim ImageLock = new(1, 1);
    private static byte[]? _jpeg;

    public async Task Consume(ConsumeContext<ScrapeMetadata> context)
    {
        var m = context.Message;
        script.Scrapes.Enqueue(m);
        var avid = Avid.Parse(m.Avid);
        switch (script.MetadataFor(m.Avid))
        {
            case MetadataPlan.Scrape s:
                if (s.WriteCover) await WriteAsync(MediaKey.Cover(avid));
                var actors = new List<ScrapedActor>();
                foreach (var name in s.Actors)
                {
                    // The second actor of every plan has the "no picture" placeholder: never stored.
                    var placeholder = actors.Count == 1;
                    var url = placeholder ? "https://pics.dmm.co.jp/mono/actjpgs/nowprinting.gif" : ScraperScript.AvatarUrl(name);
                    string? file = null;
                    if (!placeholder)
                    {
                        file = ScraperScript.AvatarFile(name);
                        await WriteAsync(MediaKey.Avatar(file));
                    }
                    actors.Add(new ScrapedActor { Name = name, AvatarUrl = placeholder ? null : url, AvatarFile = file });
                }
                await context.Publish(new MetadataScraped
                {
                    CorrelationId = m.CorrelationId,
                    Avid = m.Avid,
                    Site = "JavBus",
                    Title = s.Title,
                    ReleaseDate = "2024-05-06",
                    DurationMinutes = s.Minutes,
                    Studio = "スタジオ",
                    Label = "レーベル",
                    Series = "シリーズ",
                    Director = s.Director,
                    Genres = s.Genres,
                    Actors = actors,
                    CoverUrl = $"https://meta.example/cover/{m.Avid}.jpg",
                    CoverSaved = s.WriteCover,
                    Attempts = [new SourceAttempt { Source = "JavBus", Outcome = SourceAttempt.Ok, StatusCode = 200, At = DateTimeOffset.UtcNow }],
                });
                break;
            case MetadataPlan.NotFound n:
                if (n.WriteCover) await WriteAsync(MediaKey.Cover(avid));
                await context.Publish(new MetadataNotFound
                {
                    CorrelationId = m.CorrelationId,
                    Avid = m.Avid,
                    Reason = "JavBus: wrong_page",
                    CoverSaved = n.WriteCover,
                    Attempts = [new SourceAttempt { Source = "JavBus", Outcome = SourceAttempt.WrongPage, Detail = "not this AVID", At = DateTimeOffset.UtcNow }],
                });
                break;
            case MetadataPlan.Throw t:
                throw new InvalidOperationException(t.Message);
        }
    }

    /// <summary>A real JPEG (made once with ffmpeg) so the thumbnails can be generated from it.</summary>
    private async Task WriteAsync(MediaKey key)
    {
        await ImageLock.WaitAsync();
        try
        {
            if (_jpeg is null)
            {
                var path = Path.Combine(Path.GetTempPath(), $"nassav-fake-cover-{Guid.NewGuid():N}.jpg");
                await TestMedia.MakeImageAsync(path, 400, 268, "blue");
                _jpeg = await File.ReadAllBytesAsync(path);
                File.Delete(path);
            }
        }
        finally
        {
            ImageLock.Release();
        }
        await using var stream = new MemoryStream(_jpeg);
        await store.WriteAsync(key, stream);
    }
}

/// <summary>The translator, faked at the message level (its service arrives in a later issue).</summary>
public sealed class FakeTranslateTitleConsumer(ScraperScript script) : IConsumer<TranslateTitle>
{
    public async Task Consume(ConsumeContext<TranslateTitle> context)
    {
        script.Translations.Enqueue(context.Message);
        if (script.FailReason is { } reason)
        {
            await context.Publish(new TitleTranslationFailed { CorrelationId = context.Message.CorrelationId, Avid = context.Message.Avid, Reason = reason });
            return;
        }
        var text = script.Translate(context.Message);
        if (text is null) return;
        await context.Publish(new TitleTranslated { CorrelationId = context.Message.CorrelationId, Avid = context.Message.Avid, TranslatedTitle = text });
    }
}
