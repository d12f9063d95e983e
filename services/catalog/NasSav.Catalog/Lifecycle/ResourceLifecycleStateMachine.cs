using MassTransit;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Scraping;
using NasSav.Contracts.Translation;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// One AVID's way into the library and to its video; the chart of docs/lifecycle.md (a test compares the two).
/// Every transition, timeout, answer and state event stands here; what an activity does (rows, commands, checks) is
/// one job of <see cref="LifecycleSteps"/> or <see cref="DownloadSteps"/>, bound by <see cref="LifecycleActivities"/>.
/// A request that can start from several steps (add, refresh, resume) has its step chosen by its activity
/// (<see cref="NextStep"/>) and taken by <see cref="Continue{T}"/>.
/// </summary>
public sealed class ResourceLifecycleStateMachine : MassTransitStateMachine<ResourceLifecycle>
{
    public State ResolvingSource { get; private set; } = null!;
    public State ScrapingMetadata { get; private set; } = null!;
    public State Translating { get; private set; } = null!;
    public State Ready { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State DownloadQueued { get; private set; } = null!;
    public State Downloading { get; private set; } = null!;
    public State Downloaded { get; private set; } = null!;

    public Event<AddResource> AddRequested { get; private set; } = null!;
    public Event<RefreshResource> RefreshRequested { get; private set; } = null!;
    /// <summary>The watchdog or an operator resumes a stuck or failed lifecycle, or a row without metadata.</summary>
    public Event<ResumeLifecycle> ResumeRequested { get; private set; } = null!;
    public Event<ResourceDeleted> Deleted { get; private set; } = null!;
    public Event<SourceResolved> SourceResolved { get; private set; } = null!;
    public Event<SourceNotResolved> SourceNotResolved { get; private set; } = null!;
    public Event<Fault<FetchSource>> FetchSourceFaulted { get; private set; } = null!;
    public Event<MetadataScraped> MetadataScraped { get; private set; } = null!;
    public Event<MetadataNotFound> MetadataNotFound { get; private set; } = null!;
    public Event<Fault<ScrapeMetadata>> ScrapeMetadataFaulted { get; private set; } = null!;
    public Event<TitleTranslated> TitleTranslated { get; private set; } = null!;
    public Event<TitleTranslationFailed> TitleTranslationFailed { get; private set; } = null!;
    public Event<Fault<TranslateTitle>> TranslateTitleFaulted { get; private set; } = null!;
    public Event<SubmitDownload> DownloadSubmitted { get; private set; } = null!;
    public Event<StopDownload> DownloadStopRequested { get; private set; } = null!;
    public Event<DownloadStarted> DownloadStarted { get; private set; } = null!;
    public Event<DownloadCompleted> DownloadCompleted { get; private set; } = null!;
    public Event<DownloadFailed> DownloadFailed { get; private set; } = null!;
    public Event<Fault<DownloadVideo>> DownloadVideoFaulted { get; private set; } = null!;
    /// <summary>The row's video appeared or went away outside a download (deleted, imported, repaired).</summary>
    public Event<VideoFileChanged> VideoFileChanged { get; private set; } = null!;

    /// <summary>One timeout for whichever step runs (one at a time), due at the step's <see cref="ResourceLifecycle.StepDeadline"/>.</summary>
    public Schedule<ResourceLifecycle, LifecycleStepTimedOut> StepTimeout { get; private set; } = null!;

    public ResourceLifecycleStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => AddRequested, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => RefreshRequested, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => ResumeRequested, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => DownloadSubmitted, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => DownloadStopRequested, x =>
        {
            x.CorrelateById(m => m.Message.CorrelationId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => c.RespondAsync(DownloadSteps.NoTask(c.Message.CorrelationId, c.Message.Avid))));
        });
        // Results for an instance that is gone (deleted, finalized) are dropped.
        Event(() => Deleted, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => SourceResolved, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => SourceNotResolved, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => FetchSourceFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => MetadataScraped, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => MetadataNotFound, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => ScrapeMetadataFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TitleTranslated, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TitleTranslationFailed, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TranslateTitleFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadStarted, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadCompleted, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadFailed, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadVideoFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => VideoFileChanged, x =>
        {
            x.CorrelateById(m => Avid.TryParse(m.Message.Avid, out var avid, out _) ? avid.CorrelationId : Guid.Empty);
            x.OnMissingInstance(m => m.Discard());
        });
        Schedule(() => StepTimeout, x => x.StepTimeoutTokenId, s =>
            s.Received = r => { r.CorrelateById(m => m.Message.CorrelationId); r.OnMissingInstance(m => m.Discard()); });

        // ---- add, refresh, resume: the activity answers at once or picks the step to run (NextStep)
        Initially(
            When(AddRequested).PlanAdd().Then(Continue),
            When(RefreshRequested).PlanRefresh().Then(Continue),
            When(ResumeRequested).PlanResumeNew().Then(Continue),
            When(DownloadSubmitted).SubmitDownload().IfElse(c => c.Next() == NextStep.Download, ToDownloadQueued, x => x.Finalize()));
        During(ResolvingSource, ScrapingMetadata, Translating,
            When(AddRequested).PlanAddWhileBusy().Then(Continue),
            When(RefreshRequested).PlanRefreshWhileBusy().Then(Continue),
            When(ResumeRequested).PlanResume().Then(Continue),
            When(DownloadSubmitted).AnswerBusy(),
            When(DownloadStopRequested).AnswerNothingToStop(),
            When(DownloadStarted).CancelStrayTask(),
            When(Deleted).Then(Delete));
        During(Ready, Failed, Downloaded,
            When(AddRequested).PlanAddWhenSettled().Then(Continue),
            When(RefreshRequested).PlanRefresh().Then(Continue),
            When(ResumeRequested).PlanResume().Then(Continue),
            When(DownloadSubmitted).SubmitDownload().If(c => c.Next() == NextStep.Download, ToDownloadQueued),
            When(DownloadStopRequested).AnswerNothingToStop(),
            When(DownloadStarted).CancelStrayTask(),
            When(Deleted).Then(Delete));

        // ---- the steps: each result ends its step's timeout first
        During(ResolvingSource,
            When(SourceResolved).Unschedule(StepTimeout).ApplySource()
                .IfElse(c => !c.Saga.IsRefresh || c.Saga.RefreshMetadata, ToScrapingMetadata, x => x.CompleteRefresh().Then(ToTranslatingOrReady)),
            When(SourceNotResolved).Unschedule(StepTimeout).FailSourceStep().Then(ToFailed),
            When(FetchSourceFaulted).Unschedule(StepTimeout).FailSourceStep().Then(ToFailed),
            When(StepTimeout.Received).TimeOutSourceStep().Then(ToFailed));
        During(ScrapingMetadata,
            When(MetadataScraped).Unschedule(StepTimeout).ApplyMetadata().Then(AfterMetadata),
            When(MetadataNotFound).Unschedule(StepTimeout).ApplyNoMetadata().Then(AfterMetadata),
            When(ScrapeMetadataFaulted).Unschedule(StepTimeout).FailMetadataStep().Then(ToFailed),
            When(StepTimeout.Received).TimeOutMetadataStep().Then(ToFailed));
        During(Translating,
            When(TitleTranslated).Unschedule(StepTimeout).ApplyTranslation().Then(ToReady),
            When(TitleTranslationFailed).Unschedule(StepTimeout).RecordTranslationFailure(c => c.Message.Reason).Then(ToReady),
            When(TranslateTitleFaulted).Unschedule(StepTimeout).RecordTranslationFailure(c => FaultText(c.Message)).Then(ToReady),
            When(StepTimeout.Received).TimeOutTranslationStep().Then(ToReady));

        // ---- the download holds the AVID: adds answer "exists", refreshes "busy", a resume waits (unhandled)
        During(DownloadQueued, Downloading,
            When(AddRequested).AnswerExists(),
            When(RefreshRequested).AnswerDownloading(),
            When(DownloadSubmitted).AnswerDuplicate(),
            When(DownloadStopRequested).StopDownload().Then(ToReadyAfterDownload),
            When(DownloadStarted).IfElse(c => c.Message.TaskId != c.Saga.DownloadTaskId, x => x.CancelStrayTask(),
                x => x.If(c => c.Message.Epoch >= c.Saga.DownloadEpoch, y => y.RecordStart().TransitionTo(Downloading).PublishQueueChanged())),
            When(DownloadCompleted).If(c => c.IsCurrentTask(c.Message.TaskId, c.Message.Epoch), x => x.RecordCompletion()
                .IfElse(c => c.Saga.DownloadMock, ToReadyAfterDownload, y => y.TransitionTo(Downloaded).PublishStateChanged().PublishQueueChanged())),
            When(DownloadFailed).If(c => c.IsCurrentTask(c.Message.TaskId, c.Message.Epoch), x => x.RecordDownloadFailure().Then(ToReadyAfterDownload)),
            When(DownloadVideoFaulted).If(c => c.Message.Message.TaskId == c.Saga.DownloadTaskId, x => x.RecordDownloadFault().Then(ToReadyAfterDownload)),
            When(Deleted).CancelDownloadOfDeleted().Then(Delete));

        // "Downloaded" has one home, the row (Resource.MarkDownloaded / ClearVideo): the state follows a video deleted,
        // imported or repaired outside a download (the export follows VideoFileChanged itself: no state event).
        During(Downloaded, When(VideoFileChanged, c => !c.Message.Exists).TransitionTo(Ready));
        During(Ready, When(VideoFileChanged, c => c.Message.Exists).TransitionTo(Downloaded));

        // A result after its step has ended (a late answer after a timeout, a duplicate delivery) changes nothing.
        OnUnhandledEvent(c => c.Ignore());
        SetCompletedWhenFinalized();
    }

    // ---- where a run goes next. ResourceStateChanged marks a settled state only (Ready, Failed, Downloaded, Deleted):
    // what the media-server export follows; a step starting is nobody's news.

    private EventActivityBinder<ResourceLifecycle, T> Continue<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .If(c => c.Next() == NextStep.Source, ToResolvingSource)
        .If(c => c.Next() == NextStep.Metadata, ToScrapingMetadata)
        .If(c => c.Next() == NextStep.Translation, x => x.QueueTranslation().Then(ToTranslatingOrReady))
        .If(c => c.Next() == NextStep.CompleteRefresh, x => x.CompleteRefresh().Then(ToTranslatingOrReady))
        .If(c => c.Next() == NextStep.Final, x => x.Finalize());

    private EventActivityBinder<ResourceLifecycle, T> ToResolvingSource<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .SendFetchSource().Schedule(StepTimeout, c => Timeout(c, LifecycleStepNames.Source), Deadline)
        .TransitionTo(ResolvingSource);

    private EventActivityBinder<ResourceLifecycle, T> ToScrapingMetadata<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .SendScrapeMetadata().Schedule(StepTimeout, c => Timeout(c, LifecycleStepNames.Metadata), Deadline)
        .TransitionTo(ScrapingMetadata);

    /// <summary>An add is answered when its metadata step ends, then translated (as the peer: only a found title).</summary>
    private EventActivityBinder<ResourceLifecycle, T> AfterMetadata<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .IfElse(c => c.Saga.IsRefresh, x => x.CompleteRefresh(),
            x => x.AnswerAdded().If(c => c.Saga.MetadataFound, y => y.QueueTranslation()))
        .Then(ToTranslatingOrReady);

    private EventActivityBinder<ResourceLifecycle, T> ToTranslatingOrReady<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .IfElse(c => c.Saga.TranslationQueued, x => x
                .Schedule(StepTimeout, c => Timeout(c, LifecycleStepNames.Translation), Deadline)
                .TransitionTo(Translating),
            ToReady);

    private EventActivityBinder<ResourceLifecycle, T> ToReady<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .Unschedule(StepTimeout).RecordReady().TransitionTo(Ready).PublishStateChanged();

    private EventActivityBinder<ResourceLifecycle, T> ToFailed<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .Unschedule(StepTimeout).AnswerFailure().TransitionTo(Failed).PublishStateChanged();

    private EventActivityBinder<ResourceLifecycle, T> ToDownloadQueued<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .TransitionTo(DownloadQueued).PublishQueueChanged();

    /// <summary>A download that ended without a file (failed, faulted, stopped) or a mock's end: the AVID is free again.</summary>
    private EventActivityBinder<ResourceLifecycle, T> ToReadyAfterDownload<T>(EventActivityBinder<ResourceLifecycle, T> b) where T : class => b
        .TransitionTo(Ready).PublishStateChanged().PublishQueueChanged();

    /// <summary>The row is gone: the waiting request learns it, the export removes the title, the instance goes.</summary>
    private EventActivityBinder<ResourceLifecycle, ResourceDeleted> Delete(EventActivityBinder<ResourceLifecycle, ResourceDeleted> b) => b
        .Unschedule(StepTimeout).AnswerDeleted().PublishStateChanged("Deleted").Finalize();

    private static LifecycleStepTimedOut Timeout(BehaviorContext<ResourceLifecycle> c, string step) =>
        new() { CorrelationId = c.Saga.CorrelationId, Step = step };

    /// <summary>The activity that sent the step's command set its deadline (LifecycleOptions).</summary>
    private static DateTime Deadline(BehaviorContext<ResourceLifecycle> c) => c.Saga.StepDeadline ?? DateTime.UtcNow;

    internal static string FaultText<T>(Fault<T> fault) where T : class =>
        fault.Exceptions is { Length: > 0 } e ? $"{e[0].ExceptionType}: {e[0].Message}" : "fault";
}
