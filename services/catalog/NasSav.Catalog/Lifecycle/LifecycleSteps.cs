using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Scraping;
using NasSav.Contracts.Translation;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// What the lifecycle's activities do, one job each: rows (through <see cref="LibraryWriter"/> and
/// <see cref="Resource"/>'s methods), commands, answers to the waiting request. Transitions and timeouts are the
/// chart's (<see cref="ResourceLifecycleStateMachine"/>); a request that may start from several steps records its
/// choice as <see cref="NextStep"/>. Sends and publishes are outbox rows of the saga's transaction.
/// </summary>
public sealed partial class LifecycleSteps(
    LibraryWriter library,
    CatalogDbContext db,
    IOptions<LifecycleOptions> options,
    TimeProvider clock,
    LifecycleMetrics metrics,
    ILogger<LifecycleSteps> logger)
{
    private const string AddKind = "add";
    private const string RefreshKind = "refresh";

    private LifecycleOptions Options => options.Value;
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // ---------------------------------------------------------------- add

    public async Task PlanAddAsync(BehaviorContext<ResourceLifecycle, AddResource> c)
    {
        if (!TryAvid(c.Message.Avid, c.Message.CorrelationId, out var avid))
        {
            await c.RespondAsync(AddResult(c.Message.CorrelationId, c.Message.Avid, ResourceAddResult.Failed, 400, $"avid {c.Message.Avid} 无效"));
            c.SetNext(NextStep.Final);
            return;
        }
        var s = c.Saga;
        var source = SourceOf(c.Message);
        if (s.RequestedAt == default && await library.StateAsync(avid.Value, c.CancellationToken) is { } row)
        {
            // A row from before the lifecycle, or whose instance was lost: with metadata it exists; without, it is resumed.
            s.Avid = avid.Value;
            if (row.HasMetadata)
            {
                await c.RespondAsync(AddResult(s, ResourceAddResult.Exists, 409, $"资源 {s.Avid} 已存在"));
                c.SetNext(NextStep.Final);
                return;
            }
            s.RequestedSource = source;
            ResumeWithoutMetadata(c, row, hold: true);
            return;
        }
        BeginRun(s, avid, refresh: false);
        s.RequestedSource = source;
        Hold(c, s, AddKind);
        c.SetNext(NextStep.Source);
    }

    /// <summary>
    /// An add while a step runs: "exists" (the saga is the one source of truth for "in progress"). A step overdue past
    /// its deadline is stuck: the add resumes it (a failed add with no row starts over) and is answered when it ends.
    /// </summary>
    public async Task PlanAddWhileBusyAsync(BehaviorContext<ResourceLifecycle, AddResource> c)
    {
        if (!IsStale(c.Saga))
        {
            await c.RespondAsync(AddResult(c.Saga, ResourceAddResult.Exists, 409, $"资源 {c.Saga.Avid} 正在处理中"));
            return;
        }
        logger.LogWarning("Lifecycle of {Avid} was stuck in {State} past its deadline; resuming it for a new add", c.Saga.Avid, c.Saga.CurrentState);
        if (!await library.ExistsAsync(c.Saga.Avid, c.CancellationToken))
        {
            await PlanAddAsync(c);
            return;
        }
        Hold(c, c.Saga, AddKind);
        c.SetNext(RunningStep(c.Saga));
    }

    /// <summary>
    /// An add after the lifecycle settled: "exists" while the row has its metadata; a row without metadata (the metadata
    /// step failed, was lost or found nothing) resumes its lifecycle as an add; a failed add (no row) starts over.
    /// </summary>
    public async Task PlanAddWhenSettledAsync(BehaviorContext<ResourceLifecycle, AddResource> c)
    {
        var row = await library.StateAsync(c.Saga.Avid, c.CancellationToken);
        if (row is { HasMetadata: true })
        {
            await c.RespondAsync(AddResult(c.Saga, ResourceAddResult.Exists, 409, $"资源 {c.Saga.Avid} 已存在"));
            return;
        }
        if (row is null)
        {
            await PlanAddAsync(c);
            return;
        }
        logger.LogInformation("{Avid} has a row without metadata; the add resumes its lifecycle", c.Saga.Avid);
        c.Saga.RequestedSource = SourceOf(c.Message);
        ResumeWithoutMetadata(c, row, hold: true);
    }

    public Task AnswerExistsAsync(BehaviorContext<ResourceLifecycle, AddResource> c) =>
        c.RespondAsync(AddResult(c.Saga, ResourceAddResult.Exists, 409, $"资源 {c.Saga.Avid} 已存在"));

    // ---------------------------------------------------------------- refresh

    public Task AnswerDownloadingAsync(BehaviorContext<ResourceLifecycle, RefreshResource> c) =>
        c.RespondAsync(RefreshResult(c.Saga, ResourceRefreshResult.Busy, 409, $"资源 {c.Saga.Avid} 正在下载，请稍后再刷新"));

    public async Task PlanRefreshAsync(BehaviorContext<ResourceLifecycle, RefreshResource> c)
    {
        var m = c.Message;
        // A refresh of an unknown AVID leaves no instance behind; a known one keeps its state.
        var otherwise = c.Saga.RequestedAt == default ? NextStep.Final : NextStep.None;
        if (!TryAvid(m.Avid, m.CorrelationId, out var avid))
        {
            await c.RespondAsync(RefreshResult(m.CorrelationId, m.Avid, ResourceRefreshResult.Failed, 400, $"avid {m.Avid} 无效"));
            c.SetNext(otherwise);
            return;
        }
        var resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Avid == avid.Value, c.CancellationToken);
        var needsSource = m.RefreshM3u8 || m.RefreshMetadata;
        string? problem = null;
        if (resource is null) problem = needsSource ? $"获取{avid}失败。database:404" : $"{avid} 的资源不存在";
        else if (needsSource && string.IsNullOrEmpty(resource.Source)) problem = $"获取{avid}失败。{avid} 没有 source 信息";
        if (problem is not null)
        {
            await c.RespondAsync(RefreshResult(m.CorrelationId, avid.Value, ResourceRefreshResult.NotFound, 404, problem));
            c.SetNext(otherwise);
            return;
        }

        var s = c.Saga;
        BeginRun(s, avid, refresh: true);
        s.RefreshM3u8 = m.RefreshM3u8;
        s.RefreshMetadata = m.RefreshMetadata;
        s.Retranslate = m.Retranslate;
        s.ForceTranslation = m.Retranslate && m.Force;
        s.Source = resource!.Source;
        Hold(c, s, RefreshKind);
        c.SetNext(m.RefreshM3u8 ? NextStep.Source : m.RefreshMetadata ? NextStep.Metadata : NextStep.CompleteRefresh);
    }

    public async Task PlanRefreshWhileBusyAsync(BehaviorContext<ResourceLifecycle, RefreshResource> c)
    {
        if (IsStale(c.Saga))
        {
            logger.LogWarning("Lifecycle of {Avid} was stuck in {State} past its deadline; restarting it for a refresh", c.Saga.Avid, c.Saga.CurrentState);
            await PlanRefreshAsync(c);
            return;
        }
        await c.RespondAsync(RefreshResult(c.Saga, ResourceRefreshResult.Busy, 409, $"资源 {c.Saga.Avid} 正在处理中"));
    }

    // ---------------------------------------------------------------- commands (each sets its step's deadline)

    public async Task SendFetchSourceAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        await c.Publish(new FetchSource
        {
            CorrelationId = s.CorrelationId,
            Avid = s.Avid,
            // A refresh asks the row's source again; an add the one it asked for ("any" by default).
            Source = s.IsRefresh ? s.Source ?? "any" : s.RequestedSource,
            Cookies = await library.CookiesAsync(c.CancellationToken),
        });
        s.StepDeadline = Now + Options.SourceTimeout;
    }

    public async Task SendScrapeMetadataAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        var cookies = await library.CookiesAsync(c.CancellationToken);
        await c.Publish(new ScrapeMetadata
        {
            CorrelationId = s.CorrelationId,
            Avid = s.Avid,
            DownloadCover = true,
            SourceCoverUrl = s.SourceCoverUrl,
            SourceName = s.Source,
            SourcePageUrl = await library.SourcePageUrlAsync(Avid.Parse(s.Avid), c.CancellationToken),
            SourceCookie = s.Source is null ? null : cookies.GetValueOrDefault(s.Source.ToLowerInvariant()),
        });
        s.StepDeadline = Now + Options.MetadataTimeout;
    }

    /// <summary>
    /// Sends TranslateTitle when the translator is on and the row has a title (else its status is "skipped"):
    /// <see cref="ResourceLifecycle.TranslationQueued"/> says whether the run goes on to Translating.
    /// </summary>
    public async Task QueueTranslationAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        s.TranslationQueued = false;
        if (!Options.TranslatorEnabled) return;
        var text = await library.ChangeAsync(Avid.Parse(s.Avid), r => r.StartTranslation(), c.CancellationToken);
        if (text is null) return;
        await c.Publish(new TranslateTitle { CorrelationId = s.CorrelationId, Avid = s.Avid, Text = text, Force = s.ForceTranslation });
        s.TranslationQueued = true;
        s.StepDeadline = Now + Options.TranslationTimeout;
    }

    // ---------------------------------------------------------------- results

    public async Task ApplySourceAsync(BehaviorContext<ResourceLifecycle, SourceResolved> c)
    {
        var s = c.Saga;
        var m = c.Message;
        metrics.StepEnded(s, LifecycleStepNames.Source, LifecycleMetrics.Ok, Now);
        s.Source = m.Source;
        s.SourceCoverUrl = m.CoverUrl;
        s.SourceResolvedAt = Now;
        await library.ApplySourceAsync(Avid.Parse(s.Avid), m, c.CancellationToken);
        s.M3u8Updated = true;
    }

    public async Task ApplyMetadataAsync(BehaviorContext<ResourceLifecycle, MetadataScraped> c)
    {
        var s = c.Saga;
        var applied = await library.ApplyMetadataAsync(Avid.Parse(s.Avid), c.Message, c.CancellationToken);
        metrics.StepEnded(s, LifecycleStepNames.Metadata, LifecycleMetrics.Ok, Now);
        s.MetadataFound = applied.Found;
        s.CoverSaved = c.Message.CoverSaved;
        s.MetadataCompletedAt = Now;
        c.SetTitleChanged(applied.OriginalTitleChanged);
    }

    public async Task ApplyNoMetadataAsync(BehaviorContext<ResourceLifecycle, MetadataNotFound> c)
    {
        var s = c.Saga;
        await library.ApplyNoMetadataAsync(Avid.Parse(s.Avid), c.CancellationToken);
        metrics.StepEnded(s, LifecycleStepNames.Metadata, LifecycleMetrics.NotFound, Now);
        s.MetadataFound = false;
        s.CoverSaved = c.Message.CoverSaved;
        s.MetadataCompletedAt = Now;
        logger.LogInformation("No metadata for {Avid}: {Reason}", s.Avid, c.Message.Reason);
    }

    public async Task ApplyTranslationAsync(BehaviorContext<ResourceLifecycle, TitleTranslated> c)
    {
        await library.ChangeAsync(Avid.Parse(c.Saga.Avid), r => r.CompleteTranslation(c.Message.TranslatedTitle), c.CancellationToken);
        metrics.StepEnded(c.Saga, LifecycleStepNames.Translation, LifecycleMetrics.Ok, Now);
        c.Saga.TranslationCompletedAt = Now;
    }

    public async Task RecordTranslationFailureAsync(BehaviorContext<ResourceLifecycle> c, string reason, string outcome = LifecycleMetrics.Failed)
    {
        await library.ChangeAsync(Avid.Parse(c.Saga.Avid), r => r.FailTranslation(reason), c.CancellationToken);
        metrics.StepEnded(c.Saga, LifecycleStepNames.Translation, outcome, Now);
        c.Saga.TranslationCompletedAt = Now;
        logger.LogWarning("Translation of {Avid} failed: {Reason}", c.Saga.Avid, reason);
    }

    public Task TimeOutTranslationAsync(BehaviorContext<ResourceLifecycle> c) =>
        RecordTranslationFailureAsync(c, $"翻译超时 ({Options.TranslationTimeoutSeconds:0.#} s)", LifecycleMetrics.Timeout);

    public void FailSourceStep(BehaviorContext<ResourceLifecycle> c, int code, string reason) => RecordFailure(c.Saga, LifecycleStepNames.Source, code, reason);

    public void FailSourceFault(BehaviorContext<ResourceLifecycle, Fault<FetchSource>> c) =>
        RecordFailure(c.Saga, LifecycleStepNames.Source, 502, $"获取{c.Saga.Avid}失败。scraper: {ResourceLifecycleStateMachine.FaultText(c.Message)}");

    public void FailSourceTimeout(BehaviorContext<ResourceLifecycle> c) =>
        RecordFailure(c.Saga, LifecycleStepNames.Source, 504, $"获取{c.Saga.Avid}失败。timeout ({Options.SourceTimeoutSeconds:0.#} s)");

    public void FailMetadataFault(BehaviorContext<ResourceLifecycle, Fault<ScrapeMetadata>> c) =>
        RecordFailure(c.Saga, LifecycleStepNames.Metadata, 502, $"获取{c.Saga.Avid}元数据失败。scraper: {ResourceLifecycleStateMachine.FaultText(c.Message)}");

    public void FailMetadataTimeout(BehaviorContext<ResourceLifecycle> c) =>
        RecordFailure(c.Saga, LifecycleStepNames.Metadata, 504, $"获取{c.Saga.Avid}元数据超时 ({Options.MetadataTimeoutSeconds:0.#} s)");

    // ---------------------------------------------------------------- ends of a run

    /// <summary>
    /// The refresh's source and metadata steps are done: the translation as asked (a changed title makes the old one
    /// stale), then the answer.
    /// </summary>
    public async Task CompleteRefreshAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        string? translationError = null;
        if (s.Retranslate && !Options.TranslatorEnabled)
        {
            // Nothing could translate it: the old translation stays.
            translationError = "翻译服务未启用 (Translator:Enabled=false)";
        }
        else if (Options.TranslatorEnabled && (s.Retranslate || c.TitleChanged()))
        {
            // As the peer: a retranslation first clears the old one.
            await library.ChangeAsync(Avid.Parse(s.Avid), r => r.ResetTranslation(), c.CancellationToken);
            await QueueTranslationAsync(c);
            if (!s.TranslationQueued && s.Retranslate) translationError = $"{s.Avid} 没有可翻译的标题";
        }
        await RespondPendingAsync(c, RefreshResult(s, ResourceRefreshResult.Refreshed, null, translationError));
    }

    public Task AnswerAddedAsync(BehaviorContext<ResourceLifecycle> c) =>
        RespondPendingAsync(c, AddResult(c.Saga, ResourceAddResult.Created, null, null));

    /// <summary>
    /// The answer to a run that failed. The source step writes nothing before it succeeds, so a failed add leaves no
    /// row; past it the row holds the source's data (like "metadata not found"): the add did create the resource.
    /// </summary>
    public Task AnswerFailureAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        var code = s.FailureCode ?? 502;
        return s.PendingKind switch
        {
            AddKind when s.FailedStep == LifecycleStepNames.Source => RespondPendingAsync(c, AddResult(s, ResourceAddResult.Failed, code, s.FailureReason)),
            AddKind => RespondPendingAsync(c, AddResult(s, ResourceAddResult.Created, null, s.FailureReason)),
            RefreshKind => RespondPendingAsync(c, RefreshResult(s, ResourceRefreshResult.Failed, code, s.FailureReason)),
            _ => Task.CompletedTask,
        };
    }

    public Task AnswerDeletedAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        return s.PendingKind switch
        {
            AddKind => RespondPendingAsync(c, AddResult(s, ResourceAddResult.Failed, 404, $"资源 {s.Avid} 已删除")),
            RefreshKind => RespondPendingAsync(c, RefreshResult(s, ResourceRefreshResult.NotFound, 404, $"资源 {s.Avid} 已删除")),
            _ => Task.CompletedTask,
        };
    }

    public void RecordReady(ResourceLifecycle s)
    {
        s.ReadyAt = Now;
        s.StepDeadline = null;
        s.RepairAttempts = 0;
        metrics.Ended(s, ready: true, Now);
    }

    private void RecordFailure(ResourceLifecycle s, string step, int code, string reason)
    {
        s.FailedStep = step;
        s.FailureReason = reason;
        s.FailureCode = code;
        s.FailedAt = Now;
        s.StepDeadline = null;
        logger.LogWarning("Lifecycle of {Avid} failed at the {Step} step ({Code}): {Reason}", s.Avid, step, code, reason);
        metrics.StepEnded(s, step, code == 504 ? LifecycleMetrics.Timeout : LifecycleMetrics.Failed, Now);
        metrics.Ended(s, ready: false, Now);
    }

    // ---------------------------------------------------------------- shared

    private void BeginRun(ResourceLifecycle s, Avid avid, bool refresh)
    {
        s.Avid = avid.Value;
        s.IsRefresh = refresh;
        s.RefreshM3u8 = s.RefreshMetadata = s.Retranslate = s.ForceTranslation = false;
        s.M3u8Updated = s.MetadataFound = s.CoverSaved = s.TranslationQueued = false;
        s.RequestedAt = Now;
        s.SourceResolvedAt = s.MetadataCompletedAt = s.TranslationCompletedAt = s.ReadyAt = s.FailedAt = null;
        s.FailedStep = s.FailureReason = null;
        s.FailureCode = null;
        s.PendingRequestId = null;
        s.PendingResponseAddress = null;
        s.PendingKind = null;
    }

    /// <summary>Keeps the request's address so that the answer can be sent when the metadata step ends.</summary>
    private static void Hold(ConsumeContext c, ResourceLifecycle s, string kind)
    {
        if (c.RequestId is null || c.ResponseAddress is null) return;
        s.PendingRequestId = c.RequestId;
        s.PendingResponseAddress = c.ResponseAddress;
        s.PendingKind = kind;
    }

    private static async Task RespondPendingAsync<T>(BehaviorContext<ResourceLifecycle> c, T result) where T : class
    {
        var s = c.Saga;
        if (s.PendingResponseAddress is { } address && s.PendingRequestId is { } requestId)
        {
            var endpoint = await c.GetSendEndpoint(address);
            await endpoint.Send(result, x => x.RequestId = requestId, c.CancellationToken);
        }
        s.PendingRequestId = null;
        s.PendingResponseAddress = null;
        s.PendingKind = null;
    }

    /// <summary>A step past its deadline by more than the watchdog's grace: its timeout was lost, or its answer.</summary>
    private bool IsStale(ResourceLifecycle s) => s.StepDeadline is { } deadline && Now > deadline + Options.Watchdog.Grace;

    private static string SourceOf(AddResource m) => string.IsNullOrWhiteSpace(m.Source) ? "any" : m.Source;

    private static bool TryAvid(string raw, Guid correlationId, out Avid avid) =>
        Avid.TryParse(raw, out avid, out _) && avid.CorrelationId == correlationId;

    private static ResourceAddResult AddResult(ResourceLifecycle s, string outcome, int? code, string? message) => new()
    {
        CorrelationId = s.CorrelationId,
        Avid = s.Avid,
        Outcome = outcome,
        Code = code,
        Message = message,
        CoverSaved = s.CoverSaved,
        MetadataScraped = s.MetadataFound,
    };

    private static ResourceAddResult AddResult(Guid id, string avid, string outcome, int? code, string? message) =>
        new() { CorrelationId = id, Avid = avid, Outcome = outcome, Code = code, Message = message };

    private static ResourceRefreshResult RefreshResult(ResourceLifecycle s, string outcome, int? code, string? message) => new()
    {
        CorrelationId = s.CorrelationId,
        Avid = s.Avid,
        Outcome = outcome,
        Code = code,
        Message = message,
        M3u8Refreshed = s.M3u8Updated,
        MetadataRefreshed = s.MetadataFound,
        CoverSaved = s.CoverSaved,
        TranslationQueued = s.TranslationQueued,
    };

    private static ResourceRefreshResult RefreshResult(Guid id, string avid, string outcome, int? code, string? message) =>
        new() { CorrelationId = id, Avid = avid, Outcome = outcome, Code = code, Message = message };
}
