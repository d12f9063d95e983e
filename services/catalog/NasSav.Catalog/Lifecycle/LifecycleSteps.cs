using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Scraping;
using NasSav.Contracts.Translation;
using NasSav.ServiceDefaults.Avids;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// What the lifecycle saga does on each event, in the order it must happen: library rows first
/// (<see cref="LibraryWriter"/>), then commands, answers to the waiting request and
/// <see cref="ResourceStateChanged"/>. Sends and publishes go through the saga endpoint's in-memory
/// outbox, so nothing leaves before the event was handled (and, with the EF repository, committed).
/// </summary>
public sealed partial class LifecycleSteps(
    ResourceLifecycleStateMachine machine,
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

    public async Task StartAddAsync(BehaviorContext<ResourceLifecycle, AddResource> c)
    {
        if (!TryAvid(c.Message.Avid, c.Message.CorrelationId, out var avid))
        {
            await c.RespondAsync(AddResult(c.Message.CorrelationId, c.Message.Avid, ResourceAddResult.Failed, 400, $"avid {c.Message.Avid} 无效"));
            await c.TransitionToState(machine.Final);
            return;
        }
        var s = c.Saga;
        var source = string.IsNullOrWhiteSpace(c.Message.Source) ? "any" : c.Message.Source;
        if (s.RequestedAt == default && await library.StateAsync(avid.Value, c.CancellationToken) is { } row)
        {
            // A row from before the lifecycle, or whose instance was lost: with metadata it exists; without, it is resumed.
            s.Avid = avid.Value;
            if (row.HasMetadata)
            {
                await c.RespondAsync(AddResult(s, ResourceAddResult.Exists, 409, $"资源 {s.Avid} 已存在"));
                await c.TransitionToState(machine.Final);
                return;
            }
            s.RequestedSource = source;
            await ResumeWithoutMetadataAsync(c, row, source, hold: true);
            return;
        }
        BeginRun(s, avid, refresh: false);
        s.RequestedSource = source;
        Hold(c, s, AddKind);
        await FetchSourceAsync(c, s.RequestedSource);
    }

    /// <summary>
    /// An add while a step runs: "exists" (the saga is the one source of truth for "in progress"). A step overdue past
    /// its deadline is stuck: the add resumes it (a failed add with no row starts over) and is answered when it ends.
    /// </summary>
    public async Task AddWhileBusyAsync(BehaviorContext<ResourceLifecycle, AddResource> c)
    {
        if (IsStale(c.Saga))
        {
            logger.LogWarning("Lifecycle of {Avid} was stuck in {State} past its deadline; resuming it for a new add", c.Saga.Avid, c.Saga.CurrentState);
            if (!await library.ExistsAsync(c.Saga.Avid, c.CancellationToken))
            {
                await StartAddAsync(c);
                return;
            }
            Hold(c, c.Saga, AddKind);
            await ResendStepAsync(c);
            return;
        }
        await c.RespondAsync(AddResult(c.Saga, ResourceAddResult.Exists, 409, $"资源 {c.Saga.Avid} 正在处理中"));
    }

    /// <summary>
    /// An add after the lifecycle settled: "exists" while the row has its metadata; a row without metadata (the metadata
    /// step failed, was lost or found nothing) resumes its lifecycle as an add; a failed add (no row) starts over.
    /// </summary>
    public async Task AddWhenSettledAsync(BehaviorContext<ResourceLifecycle, AddResource> c)
    {
        var row = await library.StateAsync(c.Saga.Avid, c.CancellationToken);
        if (row is { HasMetadata: true })
        {
            await c.RespondAsync(AddResult(c.Saga, ResourceAddResult.Exists, 409, $"资源 {c.Saga.Avid} 已存在"));
            return;
        }
        if (row is null)
        {
            await StartAddAsync(c);
            return;
        }
        logger.LogInformation("{Avid} has a row without metadata; the add resumes its lifecycle", c.Saga.Avid);
        var source = c.Message.Source;
        await ResumeWithoutMetadataAsync(c, row, string.IsNullOrWhiteSpace(source) ? "any" : source, hold: true);
    }

    public Task AddWhileDownloadingAsync(BehaviorContext<ResourceLifecycle, AddResource> c) =>
        c.RespondAsync(AddResult(c.Saga, ResourceAddResult.Exists, 409, $"资源 {c.Saga.Avid} 已存在"));

    // ---------------------------------------------------------------- refresh

    public Task RefreshWhileDownloadingAsync(BehaviorContext<ResourceLifecycle, RefreshResource> c) =>
        c.RespondAsync(RefreshResult(c.Saga, ResourceRefreshResult.Busy, 409, $"资源 {c.Saga.Avid} 正在下载，请稍后再刷新"));

    public async Task StartRefreshAsync(BehaviorContext<ResourceLifecycle, RefreshResource> c)
    {
        var m = c.Message;
        var isNew = c.Saga.RequestedAt == default;
        if (!TryAvid(m.Avid, m.CorrelationId, out var avid))
        {
            await c.RespondAsync(RefreshResult(m.CorrelationId, m.Avid, ResourceRefreshResult.Failed, 400, $"avid {m.Avid} 无效"));
            if (isNew) await c.TransitionToState(machine.Final);
            return;
        }
        var resource = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Avid == avid.Value, c.CancellationToken);
        var needsSource = m.RefreshM3u8 || m.RefreshMetadata;
        string? problem = null;
        var code = 404;
        if (resource is null) problem = needsSource ? $"获取{avid}失败。database:404" : $"{avid} 的资源不存在";
        else if (needsSource && string.IsNullOrEmpty(resource.Source)) problem = $"获取{avid}失败。{avid} 没有 source 信息";
        if (problem is not null)
        {
            await c.RespondAsync(RefreshResult(m.CorrelationId, avid.Value, ResourceRefreshResult.NotFound, code, problem));
            // A refresh of an unknown AVID leaves no instance behind; a known one keeps its state.
            if (isNew) await c.TransitionToState(machine.Final);
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

        if (m.RefreshM3u8) await FetchSourceAsync(c, resource.Source);
        else if (m.RefreshMetadata) await ScrapeMetadataAsync(c);
        else await CompleteRefreshAsync(c, originalTitleChanged: false);
    }

    public async Task RefreshWhileBusyAsync(BehaviorContext<ResourceLifecycle, RefreshResource> c)
    {
        if (IsStale(c.Saga))
        {
            logger.LogWarning("Lifecycle of {Avid} was stuck in {State} past its deadline; restarting it for a refresh", c.Saga.Avid, c.Saga.CurrentState);
            await StartRefreshAsync(c);
            return;
        }
        await c.RespondAsync(RefreshResult(c.Saga, ResourceRefreshResult.Busy, 409, $"资源 {c.Saga.Avid} 正在处理中"));
    }

    // ---------------------------------------------------------------- source step

    public async Task SourceResolvedAsync(BehaviorContext<ResourceLifecycle, SourceResolved> c)
    {
        var s = c.Saga;
        var m = c.Message;
        await CancelStepTimeoutAsync(c);
        await ReportAttemptsAsync(c, m.Attempts);
        metrics.StepEnded(s, LifecycleStepNames.Source, LifecycleMetrics.Ok, Now);
        s.Source = m.Source;
        s.SourceCoverUrl = m.CoverUrl;
        s.SourceResolvedAt = Now;
        await library.ApplySourceAsync(Avid.Parse(s.Avid), m, c.CancellationToken);
        s.M3u8Updated = true;

        if (!s.IsRefresh || s.RefreshMetadata) await ScrapeMetadataAsync(c);
        else await CompleteRefreshAsync(c, originalTitleChanged: false);
    }

    public async Task SourceNotResolvedAsync(BehaviorContext<ResourceLifecycle, SourceNotResolved> c)
    {
        await CancelStepTimeoutAsync(c);
        await ReportAttemptsAsync(c, c.Message.Attempts);
        await FailAsync(c, LifecycleStepNames.Source, c.Message.Code, c.Message.Message);
    }

    public async Task FetchSourceFaultedAsync(BehaviorContext<ResourceLifecycle, Fault<FetchSource>> c)
    {
        await CancelStepTimeoutAsync(c);
        await FailAsync(c, LifecycleStepNames.Source, 502,
            $"获取{c.Saga.Avid}失败。scraper: {ResourceLifecycleStateMachine.FaultText(c.Message)}");
    }

    /// <summary>Health counts go out through the outbox and are written after this step commits (AfterCommit).</summary>
    private static async Task ReportAttemptsAsync(BehaviorContext<ResourceLifecycle> c, IReadOnlyList<SourceAttempt> attempts)
    {
        if (attempts.Count > 0) await c.Publish(new SourceAttemptsReported { Attempts = attempts });
    }

    // ---------------------------------------------------------------- metadata step

    public async Task MetadataScrapedAsync(BehaviorContext<ResourceLifecycle, MetadataScraped> c)
    {
        var s = c.Saga;
        await CancelStepTimeoutAsync(c);
        await ReportAttemptsAsync(c, c.Message.Attempts);
        var applied = await library.ApplyMetadataAsync(Avid.Parse(s.Avid), c.Message, c.CancellationToken);
        if (applied.CoverStored) await c.Publish(new CoverStored { Avid = s.Avid });
        metrics.StepEnded(s, LifecycleStepNames.Metadata, LifecycleMetrics.Ok, Now);
        s.MetadataFound = applied.Found;
        s.CoverSaved = c.Message.CoverSaved;
        s.MetadataCompletedAt = Now;
        await AfterMetadataAsync(c, applied.OriginalTitleChanged);
    }

    public async Task MetadataNotFoundAsync(BehaviorContext<ResourceLifecycle, MetadataNotFound> c)
    {
        var s = c.Saga;
        await CancelStepTimeoutAsync(c);
        await ReportAttemptsAsync(c, c.Message.Attempts);
        if (await library.ApplyNoMetadataAsync(Avid.Parse(s.Avid), c.Message.CoverSaved, c.CancellationToken))
            await c.Publish(new CoverStored { Avid = s.Avid });
        metrics.StepEnded(s, LifecycleStepNames.Metadata, LifecycleMetrics.NotFound, Now);
        s.MetadataFound = false;
        s.CoverSaved = c.Message.CoverSaved;
        s.MetadataCompletedAt = Now;
        logger.LogInformation("No metadata for {Avid}: {Reason}", s.Avid, c.Message.Reason);
        await AfterMetadataAsync(c, originalTitleChanged: false);
    }

    public async Task ScrapeMetadataFaultedAsync(BehaviorContext<ResourceLifecycle, Fault<ScrapeMetadata>> c)
    {
        await CancelStepTimeoutAsync(c);
        await FailAsync(c, LifecycleStepNames.Metadata, 502,
            $"获取{c.Saga.Avid}元数据失败。scraper: {ResourceLifecycleStateMachine.FaultText(c.Message)}");
    }

    private async Task AfterMetadataAsync(BehaviorContext<ResourceLifecycle> c, bool originalTitleChanged)
    {
        var s = c.Saga;
        if (s.IsRefresh)
        {
            await CompleteRefreshAsync(c, originalTitleChanged);
            return;
        }
        await RespondPendingAsync(c, AddResult(s, ResourceAddResult.Created, null, null));
        // As the peer: a new title is translated only when its metadata was found.
        if (s.MetadataFound && Options.TranslatorEnabled && await QueueTranslationAsync(c)) return;
        await BecomeReadyAsync(c);
    }

    // ---------------------------------------------------------------- translation step

    public async Task TitleTranslatedAsync(BehaviorContext<ResourceLifecycle, TitleTranslated> c)
    {
        await CancelStepTimeoutAsync(c);
        await library.ChangeAsync(Avid.Parse(c.Saga.Avid), r => r.CompleteTranslation(c.Message.TranslatedTitle), c.CancellationToken);
        metrics.StepEnded(c.Saga, LifecycleStepNames.Translation, LifecycleMetrics.Ok, Now);
        c.Saga.TranslationCompletedAt = Now;
        await BecomeReadyAsync(c);
    }

    public async Task TitleTranslationFailedAsync(string reason, BehaviorContext<ResourceLifecycle> c)
    {
        await CancelStepTimeoutAsync(c);
        await library.ChangeAsync(Avid.Parse(c.Saga.Avid), r => r.FailTranslation(reason), c.CancellationToken);
        metrics.StepEnded(c.Saga, LifecycleStepNames.Translation, LifecycleMetrics.Failed, Now);
        c.Saga.TranslationCompletedAt = Now;
        logger.LogWarning("Translation of {Avid} failed: {Reason}", c.Saga.Avid, reason);
        await BecomeReadyAsync(c);
    }

    // ---------------------------------------------------------------- timeouts, deletion

    public async Task StepTimedOutAsync(BehaviorContext<ResourceLifecycle, LifecycleStepTimedOut> c)
    {
        var s = c.Saga;
        s.StepTimeoutTokenId = null;
        switch (c.Message.Step)
        {
            case LifecycleStepNames.Translation:
                await library.ChangeAsync(Avid.Parse(s.Avid),
                    r => r.FailTranslation($"翻译超时 ({Options.TranslationTimeoutSeconds:0.#} s)"), c.CancellationToken);
                logger.LogWarning("Translation of {Avid} timed out after {Seconds} s", s.Avid, Options.TranslationTimeoutSeconds);
                metrics.StepEnded(s, LifecycleStepNames.Translation, LifecycleMetrics.Timeout, Now);
                await BecomeReadyAsync(c);
                break;
            case LifecycleStepNames.Metadata:
                await FailAsync(c, LifecycleStepNames.Metadata, 504, $"获取{s.Avid}元数据超时 ({Options.MetadataTimeoutSeconds:0.#} s)");
                break;
            default:
                await FailAsync(c, LifecycleStepNames.Source, 504, $"获取{s.Avid}失败。timeout ({Options.SourceTimeoutSeconds:0.#} s)");
                break;
        }
    }

    public async Task DeletedAsync(BehaviorContext<ResourceLifecycle, ResourceDeleted> c)
    {
        await CancelStepTimeoutAsync(c);
        var s = c.Saga;
        if (s.PendingKind == AddKind) await RespondPendingAsync(c, AddResult(s, ResourceAddResult.Failed, 404, $"资源 {s.Avid} 已删除"));
        else if (s.PendingKind == RefreshKind) await RespondPendingAsync(c, RefreshResult(s, ResourceRefreshResult.NotFound, 404, $"资源 {s.Avid} 已删除"));
        await PublishStateAsync(c, "Deleted");
    }

    // ---------------------------------------------------------------- shared steps

    private async Task FetchSourceAsync(BehaviorContext<ResourceLifecycle> c, string source)
    {
        var s = c.Saga;
        await c.Publish(new FetchSource
        {
            CorrelationId = s.CorrelationId,
            Avid = s.Avid,
            Source = source,
            Cookies = await library.CookiesAsync(c.CancellationToken),
        });
        await ScheduleStepAsync(c, LifecycleStepNames.Source, Options.SourceTimeout);
        await TransitionAsync(c, machine.ResolvingSource);
    }

    private async Task ScrapeMetadataAsync(BehaviorContext<ResourceLifecycle> c)
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
        await ScheduleStepAsync(c, LifecycleStepNames.Metadata, Options.MetadataTimeout);
        await TransitionAsync(c, machine.ScrapingMetadata);
    }

    /// <summary>The refresh's source and metadata steps are done: translation as asked, then the answer.</summary>
    private async Task CompleteRefreshAsync(BehaviorContext<ResourceLifecycle> c, bool originalTitleChanged)
    {
        var s = c.Saga;
        string? translationError = null;
        if (s.Retranslate && !Options.TranslatorEnabled)
        {
            // Nothing could translate it: the old translation stays.
            translationError = "翻译服务未启用 (Translator:Enabled=false)";
        }
        else if (Options.TranslatorEnabled && (s.Retranslate || originalTitleChanged))
        {
            // As the peer: a retranslation first clears the old one (a changed title makes it stale anyway).
            await library.ChangeAsync(Avid.Parse(s.Avid), r => r.ResetTranslation(), c.CancellationToken);
            if (!await QueueTranslationAsync(c, transition: false) && s.Retranslate) translationError = $"{s.Avid} 没有可翻译的标题";
        }
        await RespondPendingAsync(c, RefreshResult(s, ResourceRefreshResult.Refreshed, null, translationError));
        if (s.TranslationQueued) await TransitionAsync(c, machine.Translating);
        else await BecomeReadyAsync(c);
    }

    /// <summary>Sends TranslateTitle and waits in Translating; false when there is no title to translate (status "skipped").</summary>
    private async Task<bool> QueueTranslationAsync(BehaviorContext<ResourceLifecycle> c, bool transition = true)
    {
        var s = c.Saga;
        var text = await library.ChangeAsync(Avid.Parse(s.Avid), r => r.StartTranslation(), c.CancellationToken);
        if (text is null) return false;
        await c.Publish(new TranslateTitle { CorrelationId = s.CorrelationId, Avid = s.Avid, Text = text, Force = s.ForceTranslation });
        s.TranslationQueued = true;
        await ScheduleStepAsync(c, LifecycleStepNames.Translation, Options.TranslationTimeout);
        if (transition) await TransitionAsync(c, machine.Translating);
        return true;
    }

    private async Task FailAsync(BehaviorContext<ResourceLifecycle> c, string step, int code, string reason)
    {
        var s = c.Saga;
        s.FailedStep = step;
        s.FailureReason = reason;
        s.FailureCode = code;
        s.FailedAt = Now;
        s.StepDeadline = null;
        logger.LogWarning("Lifecycle of {Avid} failed at the {Step} step ({Code}): {Reason}", s.Avid, step, code, reason);
        metrics.StepEnded(s, step, code == 504 ? LifecycleMetrics.Timeout : LifecycleMetrics.Failed, Now);
        metrics.Ended(s, ready: false, Now);
        if (s.PendingKind == AddKind)
        {
            // The source step writes nothing before it succeeds, so a failed add leaves no row. Past it, the
            // row holds the source's data (like "metadata not found"): the add did create the resource.
            var result = step == LifecycleStepNames.Source
                ? AddResult(s, ResourceAddResult.Failed, code, reason)
                : AddResult(s, ResourceAddResult.Created, null, reason);
            await RespondPendingAsync(c, result);
        }
        else if (s.PendingKind == RefreshKind)
        {
            await RespondPendingAsync(c, RefreshResult(s, ResourceRefreshResult.Failed, code, reason));
        }
        await TransitionAsync(c, machine.Failed);
    }

    private async Task BecomeReadyAsync(BehaviorContext<ResourceLifecycle> c)
    {
        c.Saga.ReadyAt = Now;
        c.Saga.StepDeadline = null;
        c.Saga.RepairAttempts = 0;
        metrics.Ended(c.Saga, ready: true, Now);
        await TransitionAsync(c, machine.Ready);
    }

    private async Task TransitionAsync(BehaviorContext<ResourceLifecycle> c, State state)
    {
        await c.TransitionToState(state);
        await PublishStateAsync(c, state.Name);
    }

    /// <summary>Published after the library rows of this step were saved (the outbox delivers after the saga's handler).</summary>
    private static Task PublishStateAsync(BehaviorContext<ResourceLifecycle> c, string state) =>
        c.Publish(new ResourceStateChanged
        {
            CorrelationId = c.Saga.CorrelationId,
            Avid = c.Saga.Avid,
            State = state,
            FailedStep = state == "Failed" ? c.Saga.FailedStep : null,
            Reason = state == "Failed" ? c.Saga.FailureReason : null,
        });

    private async Task ScheduleStepAsync(BehaviorContext<ResourceLifecycle> c, string step, TimeSpan delay)
    {
        await CancelStepTimeoutAsync(c);
        var due = Now + delay;
        var scheduler = c.GetPayload<MessageSchedulerContext>();
        var scheduled = await scheduler.ScheduleSend(c.ReceiveContext.InputAddress, due,
            new LifecycleStepTimedOut { CorrelationId = c.Saga.CorrelationId, Step = step }, c.CancellationToken);
        c.Saga.StepTimeoutTokenId = scheduled.TokenId;
        c.Saga.StepDeadline = due;
    }

    private static async Task CancelStepTimeoutAsync(BehaviorContext<ResourceLifecycle> c)
    {
        if (c.Saga.StepTimeoutTokenId is not { } token) return;
        c.Saga.StepTimeoutTokenId = null;
        // The timeout being handled right now needs no cancelling.
        if (c.GetSchedulingTokenId() == token) return;
        var scheduler = c.GetPayload<MessageSchedulerContext>();
        await scheduler.CancelScheduledSend(c.ReceiveContext.InputAddress, token, c.CancellationToken);
    }

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
