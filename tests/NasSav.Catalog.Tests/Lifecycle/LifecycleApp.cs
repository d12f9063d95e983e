using MassTransit;
using NasSav.Catalog.Data;
using NasSav.Sagas;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Queue;
using NasSav.Media.Avids;
using NasSav.Sagas.Outbox;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>
/// The catalog host with the MassTransit test harness as its bus (in-memory, the saga's in-memory
/// repository) and the scraper (and translator) faked at the message level by <see cref="ScraperScript"/>.
/// </summary>
public sealed class LifecycleApp : IAsyncDisposable
{
    /// <summary>Bounds a hang only: a condition met ends the wait (the machine may be loaded many times over).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public CatalogApp App { get; }
    public ScraperScript Script { get; }
    public DownloaderScript Downloader { get; }
    public HttpClient Client { get; }

    private LifecycleApp(CatalogApp app, ScraperScript script, DownloaderScript downloader)
    {
        Downloader = downloader;
        App = app;
        Script = script;
        Client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Client.Timeout = TimeSpan.FromSeconds(120);
    }

    public static async Task<LifecycleApp> StartAsync(DbKind kind, IDictionary<string, string?>? settings = null, bool translator = false)
    {
        var script = new ScraperScript();
        var downloader = new DownloaderScript();
        // Generous waits: a test that expects 201 or 200 must get it however slow the machine; the 202 specs shorten them.
        // The watchdog only where a test wants it (it would resume the failures other tests assert).
        var all = new Dictionary<string, string?>(Support.LifecycleWaits.GenerousSettings) { ["Lifecycle:Watchdog:Enabled"] = "false" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var app = await CatalogApp.StartAsync(kind, all, services =>
        {
            services.AddSingleton(script);
            services.AddSingleton(downloader);
            services.AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testTimeout: Patience);
                // The harness puts sagas on its in-memory repository; the lifecycle runs on its real one.
                x.AddSagaStateMachine<ResourceLifecycleStateMachine, ResourceLifecycle>(typeof(ResourceLifecycleDefinition))
                    .EfRepository<ResourceLifecycle, CatalogDbContext>();
                x.AddConsumer<FakeFetchSourceConsumer>();
                x.AddConsumer<FakeScrapeMetadataConsumer>();
                if (translator) x.AddConsumer<FakeTranslateTitleConsumer>();
                x.AddConsumer<FakeDownloadVideoConsumer>();
                x.AddConsumer<FakeCancelDownloadConsumer>();
                x.AddConsumer<TaskEndedProbe>();
                x.AddConsumer<QueueStatusPublisher, QueueStatusPublisherDefinition>();
                x.AddConsumer<GetQueueStatusConsumer>();
            });
        });
        var lifecycle = new LifecycleApp(app, script, downloader);
        await lifecycle.Harness.Start();
        return lifecycle;
    }

    public ITestHarness Harness => App.Services.GetRequiredService<ITestHarness>();

    public ISagaStateMachineTestHarness<ResourceLifecycleStateMachine, ResourceLifecycle> Saga =>
        Harness.GetSagaStateMachineHarness<ResourceLifecycleStateMachine, ResourceLifecycle>();

    public ResourceLifecycleStateMachine Machine => App.Services.GetRequiredService<ResourceLifecycleStateMachine>();

    /// <summary>The catalog's outbox rows as committed (pending messages and scheduled step timeouts).</summary>
    public Task<List<OutboxMessage>> OutboxAsync() =>
        App.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().OrderBy(x => x.SequenceNumber).ToListAsync());

    /// <summary>
    /// The saga instance of <paramref name="avid"/> as stored in the catalog database, once it is in
    /// <paramref name="state"/> there (the harness's own view of a database-backed instance can lag).
    /// </summary>
    public async Task<ResourceLifecycle> InStateAsync(string avid, Func<ResourceLifecycleStateMachine, State> state)
    {
        var name = state(Machine).Name;
        ResourceLifecycle? stored = null;
        try
        {
            await Wait.UntilAsync(async () => (stored = await LoadAsync(avid))?.CurrentState == name, Patience, $"the lifecycle of {avid} to reach {name}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; it is {stored?.CurrentState ?? "absent"}", ex);
        }
        return stored!;
    }

    /// <summary>The stored instance of <paramref name="avid"/>, or null.</summary>
    public ResourceLifecycle? Instance(string avid) => LoadAsync(avid).GetAwaiter().GetResult();

    private Task<ResourceLifecycle?> LoadAsync(string avid)
    {
        var id = Avid.Parse(avid).CorrelationId;
        return App.WithDbAsync(db => db.ResourceLifecycles.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == id));
    }

    public Task WaitAsync(Func<bool> condition, string what) => Wait.UntilAsync(condition, Patience, what);

    public Task WaitAsync(Func<Task<bool>> condition, string what) => Wait.UntilAsync(condition, Patience, what);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
