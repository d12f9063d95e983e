using MassTransit;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Scraping;
using NasSav.Contracts.Translation;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// One AVID's way into the library:
/// <c>Requested → ResolvingSource → ScrapingMetadata → (Translating) → Ready</c>, any step → <c>Failed</c>,
/// then, on request, <c>DownloadQueued → Downloading → Downloaded</c> (back to <c>Ready</c> on failure, cancel or
/// a mock's end); <c>ResourceDeleted</c> finalizes. This class only wires states to events; what each event does
/// (database, commands, answers) is in <see cref="LifecycleSteps"/>. See docs/lifecycle.md.
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

    /// <summary>The watchdog or an operator resumes a stuck or failed lifecycle, or a row without metadata.</summary>
    public Event<ResumeLifecycle> ResumeRequested { get; private set; } = null!;

    public Event<SubmitDownload> DownloadSubmitted { get; private set; } = null!;
    public Event<StopDownload> DownloadStopRequested { get; private set; } = null!;
    public Event<DownloadStarted> DownloadStarted { get; private set; } = null!;
    public Event<DownloadCompleted> DownloadCompleted { get; private set; } = null!;
    public Event<DownloadFailed> DownloadFailed { get; private set; } = null!;
    public Event<Fault<DownloadVideo>> DownloadVideoFaulted { get; private set; } = null!;

    /// <summary>One timeout for whichever step is running (only one runs at a time).</summary>
    public Schedule<ResourceLifecycle, LifecycleStepTimedOut> StepTimeout { get; private set; } = null!;

    public ResourceLifecycleStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => AddRequested, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => RefreshRequested, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => Deleted, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        // Results for an instance that is gone (deleted, or lost with the in-memory repository) are dropped.
        Event(() => SourceResolved, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => SourceNotResolved, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => FetchSourceFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => MetadataScraped, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => MetadataNotFound, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => ScrapeMetadataFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TitleTranslated, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TitleTranslationFailed, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => TranslateTitleFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });

        Event(() => ResumeRequested, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => DownloadSubmitted, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => DownloadStopRequested, x =>
        {
            x.CorrelateById(m => m.Message.CorrelationId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => c.RespondAsync(DownloadSteps.NoTask(c.Message.CorrelationId, c.Message.Avid))));
        });
        Event(() => DownloadStarted, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadCompleted, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadFailed, x => { x.CorrelateById(m => m.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });
        Event(() => DownloadVideoFaulted, x => { x.CorrelateById(m => m.Message.Message.CorrelationId); x.OnMissingInstance(m => m.Discard()); });

        Schedule(() => StepTimeout, x => x.StepTimeoutTokenId, s =>
        {
            s.Delay = TimeSpan.FromMinutes(2); // each step sets its own delay (LifecycleOptions)
            s.Received = r => { r.CorrelateById(m => m.Message.CorrelationId); r.OnMissingInstance(m => m.Discard()); };
        });

        Initially(
            When(AddRequested).Run((steps, c) => steps.StartAddAsync(c)),
            When(RefreshRequested).Run((steps, c) => steps.StartRefreshAsync(c)),
            When(ResumeRequested).Run((steps, c) => steps.ResumeNewAsync(c)),
            When(DownloadSubmitted).Download((steps, c) => steps.SubmitNewAsync(c)));

        // Downloads hold the AVID: a resume waits for them to end (unhandled, ignored).
        During(ResolvingSource, ScrapingMetadata, Translating,
            When(ResumeRequested).Run((steps, c) => steps.ResumeAsync(c)));
        During(Ready, Failed, Downloaded,
            When(ResumeRequested).Run((steps, c) => steps.ResumeAsync(c)));

        During(ResolvingSource, ScrapingMetadata, Translating,
            When(AddRequested).Run((steps, c) => steps.AddWhileBusyAsync(c)),
            When(RefreshRequested).Run((steps, c) => steps.RefreshWhileBusyAsync(c)));

        During(Ready, Failed, Downloaded,
            When(AddRequested).Run((steps, c) => steps.AddWhenSettledAsync(c)),
            When(RefreshRequested).Run((steps, c) => steps.StartRefreshAsync(c)),
            When(DownloadSubmitted).Download((steps, c) => steps.SubmitAsync(c)));

        During(ResolvingSource, ScrapingMetadata, Translating,
            When(DownloadSubmitted).Download((steps, c) => steps.BusyAsync(c)));

        // No download of ours runs in these states: a start is a task cancelled or replaced meanwhile.
        During(Ready, Failed, Downloaded,
            When(DownloadStopRequested).Download((steps, c) => steps.NothingToStopAsync(c)),
            When(DownloadStarted).Download((steps, c) => steps.StrayStartedAsync(c)));
        During(ResolvingSource, ScrapingMetadata, Translating,
            When(DownloadStopRequested).Download((steps, c) => steps.NothingToStopAsync(c)),
            When(DownloadStarted).Download((steps, c) => steps.StrayStartedAsync(c)));

        // The download holds the AVID: adds answer "exists", refreshes "busy" (a new m3u8 mid-download helps nobody).
        During(DownloadQueued, Downloading,
            When(AddRequested).Run((steps, c) => steps.AddWhileDownloadingAsync(c)),
            When(RefreshRequested).Run((steps, c) => steps.RefreshWhileDownloadingAsync(c)),
            When(DownloadSubmitted).Download((steps, c) => steps.DuplicateAsync(c)),
            When(DownloadStopRequested).Download((steps, c) => steps.StopAsync(c)),
            When(DownloadStarted).Download((steps, c) => steps.StartedAsync(c)),
            When(DownloadCompleted).Download((steps, c) => steps.CompletedAsync(c)),
            When(DownloadFailed).Download((steps, c) => steps.FailedAsync(c)),
            When(DownloadVideoFaulted).Download((steps, c) => steps.FaultedAsync(c)));

        During(ResolvingSource,
            When(SourceResolved).Run((steps, c) => steps.SourceResolvedAsync(c)),
            When(SourceNotResolved).Run((steps, c) => steps.SourceNotResolvedAsync(c)),
            When(FetchSourceFaulted).Run((steps, c) => steps.FetchSourceFaultedAsync(c)),
            When(StepTimeout.Received).Run((steps, c) => steps.StepTimedOutAsync(c)));

        During(ScrapingMetadata,
            When(MetadataScraped).Run((steps, c) => steps.MetadataScrapedAsync(c)),
            When(MetadataNotFound).Run((steps, c) => steps.MetadataNotFoundAsync(c)),
            When(ScrapeMetadataFaulted).Run((steps, c) => steps.ScrapeMetadataFaultedAsync(c)),
            When(StepTimeout.Received).Run((steps, c) => steps.StepTimedOutAsync(c)));

        During(Translating,
            When(TitleTranslated).Run((steps, c) => steps.TitleTranslatedAsync(c)),
            When(TitleTranslationFailed).Run((steps, c) => steps.TitleTranslationFailedAsync(c.Message.Reason, c)),
            When(TranslateTitleFaulted).Run((steps, c) => steps.TitleTranslationFailedAsync(FaultText(c.Message), c)),
            When(StepTimeout.Received).Run((steps, c) => steps.StepTimedOutAsync(c)));

        DuringAny(
            When(Deleted)
                .Download((steps, c) => steps.DeletedWhileDownloadingAsync(c))
                .Run((steps, c) => steps.DeletedAsync(c))
                .Finalize());

        // A result that arrives after its step has ended (a late answer after a timeout, a duplicate
        // delivery) changes nothing; a step's own events are handled above.
        OnUnhandledEvent(c => c.Ignore());

        SetCompletedWhenFinalized();
    }

    internal static string FaultText<T>(Fault<T> fault) where T : class =>
        fault.Exceptions is { Length: > 0 } e ? $"{e[0].ExceptionType}: {e[0].Message}" : "fault";
}

/// <summary>Binders that hand an event to <see cref="LifecycleSteps"/> (a scoped service: database, options, clock).</summary>
public static class LifecycleBinders
{
    public static EventActivityBinder<ResourceLifecycle, T> Run<T>(this EventActivityBinder<ResourceLifecycle, T> binder,
        Func<LifecycleSteps, BehaviorContext<ResourceLifecycle, T>, Task> step) where T : class =>
        binder.ThenAsync(context => step(context.GetServiceOrCreateInstance<LifecycleSteps>(), context));

    public static EventActivityBinder<ResourceLifecycle, T> Download<T>(this EventActivityBinder<ResourceLifecycle, T> binder,
        Func<DownloadSteps, BehaviorContext<ResourceLifecycle, T>, Task> step) where T : class =>
        binder.ThenAsync(context => step(context.GetServiceOrCreateInstance<DownloadSteps>(), context));
}
