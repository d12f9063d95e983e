using MassTransit;
using NasSav.Catalog.Queue;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Scraping;
using NasSav.Contracts.Translation;

namespace NasSav.Catalog.Lifecycle;

/// <summary>Where a request sends the run next: chosen by its activity, taken by the chart.</summary>
public enum NextStep
{
    /// <summary>Answered; the state stays.</summary>
    None,
    Source,
    Metadata,
    /// <summary>The translation step (again): Translating, or Ready when there is nothing to translate.</summary>
    Translation,
    /// <summary>A refresh with neither source nor metadata step: its translation and answer.</summary>
    CompleteRefresh,
    Download,
    /// <summary>Answered; the instance is not kept.</summary>
    Final,
}

/// <summary>
/// The activities of the lifecycle chart, one job each. Each hands its event to the scoped <see cref="LifecycleSteps"/>
/// or <see cref="DownloadSteps"/> (database, options, clock of the message's scope).
/// </summary>
public static class LifecycleActivities
{
    // What one activity decided for the next ones of the same event (a payload of the message's context).
    private sealed class Decision
    {
        public NextStep Next;
        public bool TitleChanged;
    }

    public static NextStep Next(this BehaviorContext<ResourceLifecycle> c) => c.TryGetPayload<Decision>(out var d) ? d.Next : NextStep.None;

    internal static void SetNext(this BehaviorContext<ResourceLifecycle> c, NextStep next) => c.GetOrAddPayload(() => new Decision()).Next = next;

    /// <summary>The metadata step found another original title than the row had (the translation is stale).</summary>
    internal static bool TitleChanged(this BehaviorContext<ResourceLifecycle> c) => c.TryGetPayload<Decision>(out var d) && d.TitleChanged;

    internal static void SetTitleChanged(this BehaviorContext<ResourceLifecycle> c, bool changed) => c.GetOrAddPayload(() => new Decision()).TitleChanged = changed;

    /// <summary>Events of the current download task with an epoch at least the stored one; others come from a replaced holder or task.</summary>
    public static bool IsCurrentTask(this BehaviorContext<ResourceLifecycle> c, string taskId, long epoch) =>
        taskId == c.Saga.DownloadTaskId && epoch >= c.Saga.DownloadEpoch;

    /// <summary>Applies a part of the chart written as a method (a way into a state shared by several events).</summary>
    public static EventActivityBinder<ResourceLifecycle, T> Then<T>(this EventActivityBinder<ResourceLifecycle, T> b,
        Func<EventActivityBinder<ResourceLifecycle, T>, EventActivityBinder<ResourceLifecycle, T>> part) where T : class => part(b);

    // ---- requests
    public static EventActivityBinder<ResourceLifecycle, AddResource> PlanAdd(this EventActivityBinder<ResourceLifecycle, AddResource> b) => b.Lifecycle((s, c) => s.PlanAddAsync(c));
    public static EventActivityBinder<ResourceLifecycle, AddResource> PlanAddWhileBusy(this EventActivityBinder<ResourceLifecycle, AddResource> b) => b.Lifecycle((s, c) => s.PlanAddWhileBusyAsync(c));
    public static EventActivityBinder<ResourceLifecycle, AddResource> PlanAddWhenSettled(this EventActivityBinder<ResourceLifecycle, AddResource> b) => b.Lifecycle((s, c) => s.PlanAddWhenSettledAsync(c));
    public static EventActivityBinder<ResourceLifecycle, AddResource> AnswerExists(this EventActivityBinder<ResourceLifecycle, AddResource> b) => b.Lifecycle((s, c) => s.AnswerExistsAsync(c));
    public static EventActivityBinder<ResourceLifecycle, RefreshResource> PlanRefresh(this EventActivityBinder<ResourceLifecycle, RefreshResource> b) => b.Lifecycle((s, c) => s.PlanRefreshAsync(c));
    public static EventActivityBinder<ResourceLifecycle, RefreshResource> PlanRefreshWhileBusy(this EventActivityBinder<ResourceLifecycle, RefreshResource> b) => b.Lifecycle((s, c) => s.PlanRefreshWhileBusyAsync(c));
    public static EventActivityBinder<ResourceLifecycle, RefreshResource> AnswerDownloading(this EventActivityBinder<ResourceLifecycle, RefreshResource> b) => b.Lifecycle((s, c) => s.AnswerDownloadingAsync(c));
    public static EventActivityBinder<ResourceLifecycle, ResumeLifecycle> PlanResumeNew(this EventActivityBinder<ResourceLifecycle, ResumeLifecycle> b) => b.Lifecycle((s, c) => s.PlanResumeNewAsync(c));
    public static EventActivityBinder<ResourceLifecycle, ResumeLifecycle> PlanResume(this EventActivityBinder<ResourceLifecycle, ResumeLifecycle> b) => b.Lifecycle((s, c) => s.PlanResumeAsync(c));

    // ---- commands of the steps
    public static EventActivityBinder<ResourceLifecycle, T> SendFetchSource<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.SendFetchSourceAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> SendScrapeMetadata<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.SendScrapeMetadataAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> QueueTranslation<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.QueueTranslationAsync(c));

    // ---- results of the steps
    public static EventActivityBinder<ResourceLifecycle, SourceResolved> ApplySource(this EventActivityBinder<ResourceLifecycle, SourceResolved> b) => b.Lifecycle((s, c) => s.ApplySourceAsync(c));
    public static EventActivityBinder<ResourceLifecycle, SourceNotResolved> FailSourceStep(this EventActivityBinder<ResourceLifecycle, SourceNotResolved> b) =>
        b.Lifecycle((s, c) => s.FailSourceStep(c, c.Message.Code, c.Message.Message));
    public static EventActivityBinder<ResourceLifecycle, Fault<FetchSource>> FailSourceStep(this EventActivityBinder<ResourceLifecycle, Fault<FetchSource>> b) => b.Lifecycle((s, c) => s.FailSourceFault(c));
    public static EventActivityBinder<ResourceLifecycle, LifecycleStepTimedOut> TimeOutSourceStep(this EventActivityBinder<ResourceLifecycle, LifecycleStepTimedOut> b) => b.Lifecycle((s, c) => s.FailSourceTimeout(c));
    public static EventActivityBinder<ResourceLifecycle, MetadataScraped> ApplyMetadata(this EventActivityBinder<ResourceLifecycle, MetadataScraped> b) => b.Lifecycle((s, c) => s.ApplyMetadataAsync(c));
    public static EventActivityBinder<ResourceLifecycle, MetadataNotFound> ApplyNoMetadata(this EventActivityBinder<ResourceLifecycle, MetadataNotFound> b) => b.Lifecycle((s, c) => s.ApplyNoMetadataAsync(c));
    public static EventActivityBinder<ResourceLifecycle, Fault<ScrapeMetadata>> FailMetadataStep(this EventActivityBinder<ResourceLifecycle, Fault<ScrapeMetadata>> b) => b.Lifecycle((s, c) => s.FailMetadataFault(c));
    public static EventActivityBinder<ResourceLifecycle, LifecycleStepTimedOut> TimeOutMetadataStep(this EventActivityBinder<ResourceLifecycle, LifecycleStepTimedOut> b) => b.Lifecycle((s, c) => s.FailMetadataTimeout(c));
    public static EventActivityBinder<ResourceLifecycle, TitleTranslated> ApplyTranslation(this EventActivityBinder<ResourceLifecycle, TitleTranslated> b) => b.Lifecycle((s, c) => s.ApplyTranslationAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> RecordTranslationFailure<T>(this EventActivityBinder<ResourceLifecycle, T> b, Func<BehaviorContext<ResourceLifecycle, T>, string> reason) where T : class =>
        b.Lifecycle((s, c) => s.RecordTranslationFailureAsync(c, reason(c)));
    public static EventActivityBinder<ResourceLifecycle, LifecycleStepTimedOut> TimeOutTranslationStep(this EventActivityBinder<ResourceLifecycle, LifecycleStepTimedOut> b) => b.Lifecycle((s, c) => s.TimeOutTranslationAsync(c));

    // ---- ends of a run and answers to the waiting request
    public static EventActivityBinder<ResourceLifecycle, T> CompleteRefresh<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.CompleteRefreshAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> AnswerAdded<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.AnswerAddedAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> AnswerFailure<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.AnswerFailureAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> AnswerDeleted<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.AnswerDeletedAsync(c));
    public static EventActivityBinder<ResourceLifecycle, T> RecordReady<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class => b.Lifecycle((s, c) => s.RecordReady(c.Saga));

    // ---- downloads
    public static EventActivityBinder<ResourceLifecycle, SubmitDownload> SubmitDownload(this EventActivityBinder<ResourceLifecycle, SubmitDownload> b) => b.Download((s, c) => s.SubmitAsync(c));
    public static EventActivityBinder<ResourceLifecycle, SubmitDownload> AnswerDuplicate(this EventActivityBinder<ResourceLifecycle, SubmitDownload> b) => b.Download((s, c) => s.AnswerDuplicateAsync(c));
    public static EventActivityBinder<ResourceLifecycle, SubmitDownload> AnswerBusy(this EventActivityBinder<ResourceLifecycle, SubmitDownload> b) => b.Download((s, c) => s.AnswerBusyAsync(c));
    public static EventActivityBinder<ResourceLifecycle, StopDownload> StopDownload(this EventActivityBinder<ResourceLifecycle, StopDownload> b) => b.Download((s, c) => s.StopAsync(c));
    public static EventActivityBinder<ResourceLifecycle, StopDownload> AnswerNothingToStop(this EventActivityBinder<ResourceLifecycle, StopDownload> b) => b.Download((s, c) => s.AnswerNothingToStopAsync(c));
    public static EventActivityBinder<ResourceLifecycle, DownloadStarted> RecordStart(this EventActivityBinder<ResourceLifecycle, DownloadStarted> b) => b.Download((s, c) => s.RecordStart(c));
    public static EventActivityBinder<ResourceLifecycle, DownloadStarted> CancelStrayTask(this EventActivityBinder<ResourceLifecycle, DownloadStarted> b) => b.Download((s, c) => s.CancelStrayTaskAsync(c));
    public static EventActivityBinder<ResourceLifecycle, DownloadCompleted> RecordCompletion(this EventActivityBinder<ResourceLifecycle, DownloadCompleted> b) => b.Download((s, c) => s.RecordCompletionAsync(c));
    public static EventActivityBinder<ResourceLifecycle, DownloadFailed> RecordDownloadFailure(this EventActivityBinder<ResourceLifecycle, DownloadFailed> b) => b.Download((s, c) => s.RecordFailureAsync(c));
    public static EventActivityBinder<ResourceLifecycle, Fault<DownloadVideo>> RecordDownloadFault(this EventActivityBinder<ResourceLifecycle, Fault<DownloadVideo>> b) => b.Download((s, c) => s.RecordFaultAsync(c));
    public static EventActivityBinder<ResourceLifecycle, ResourceDeleted> CancelDownloadOfDeleted(this EventActivityBinder<ResourceLifecycle, ResourceDeleted> b) => b.Download((s, c) => s.CancelForDeletionAsync(c));

    // ---- events (outbox rows: delivered after the step's rows commit)

    /// <summary>ResourceStateChanged with the settled state just entered (the media-server export follows Ready and Downloaded).</summary>
    public static EventActivityBinder<ResourceLifecycle, T> PublishStateChanged<T>(this EventActivityBinder<ResourceLifecycle, T> b, string? state = null) where T : class =>
        b.PublishAsync(c => Task.FromResult(StateChanged(c.Saga, state ?? c.Saga.CurrentState)));

    /// <summary>The catalog-internal DownloadQueueChanged: after the commit, the queue is read again and pushed to the gateways.</summary>
    public static EventActivityBinder<ResourceLifecycle, T> PublishQueueChanged<T>(this EventActivityBinder<ResourceLifecycle, T> b) where T : class =>
        b.PublishAsync(c => Task.FromResult(new DownloadQueueChanged { Avid = c.Saga.Avid }));

    private static ResourceStateChanged StateChanged(ResourceLifecycle s, string state) => new()
    {
        CorrelationId = s.CorrelationId,
        Avid = s.Avid,
        State = state,
        FailedStep = state == "Failed" ? s.FailedStep : null,
        Reason = state == "Failed" ? s.FailureReason : null,
    };

    private static EventActivityBinder<ResourceLifecycle, T> Lifecycle<T>(this EventActivityBinder<ResourceLifecycle, T> b,
        Func<LifecycleSteps, BehaviorContext<ResourceLifecycle, T>, Task> step) where T : class =>
        b.ThenAsync(c => step(c.GetServiceOrCreateInstance<LifecycleSteps>(), c));

    private static EventActivityBinder<ResourceLifecycle, T> Lifecycle<T>(this EventActivityBinder<ResourceLifecycle, T> b,
        Action<LifecycleSteps, BehaviorContext<ResourceLifecycle, T>> step) where T : class =>
        b.Then(c => step(c.GetServiceOrCreateInstance<LifecycleSteps>(), c));

    private static EventActivityBinder<ResourceLifecycle, T> Download<T>(this EventActivityBinder<ResourceLifecycle, T> b,
        Func<DownloadSteps, BehaviorContext<ResourceLifecycle, T>, Task> step) where T : class =>
        b.ThenAsync(c => step(c.GetServiceOrCreateInstance<DownloadSteps>(), c));

    private static EventActivityBinder<ResourceLifecycle, T> Download<T>(this EventActivityBinder<ResourceLifecycle, T> b,
        Action<DownloadSteps, BehaviorContext<ResourceLifecycle, T>> step) where T : class =>
        b.Then(c => step(c.GetServiceOrCreateInstance<DownloadSteps>(), c));
}
