using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Lifecycle;
using NasSav.ServiceDefaults.Avids;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>
/// The catalog host with the MassTransit test harness as its bus (in-memory, the saga's in-memory
/// repository) and the scraper (and translator) faked at the message level by <see cref="ScraperScript"/>.
/// </summary>
public sealed class LifecycleApp : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public CatalogApp App { get; }
    public ScraperScript Script { get; }
    public HttpClient Client { get; }

    private LifecycleApp(CatalogApp app, ScraperScript script)
    {
        App = app;
        Script = script;
        Client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Client.Timeout = TimeSpan.FromSeconds(90);
    }

    public static async Task<LifecycleApp> StartAsync(DbKind kind, IDictionary<string, string?>? settings = null, bool translator = false)
    {
        var script = new ScraperScript();
        var all = new Dictionary<string, string?> { ["Lifecycle:AddWaitSeconds"] = "20", ["Lifecycle:RefreshWaitSeconds"] = "20" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var app = await CatalogApp.StartAsync(kind, all, services =>
        {
            services.AddSingleton(script);
            services.AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testTimeout: Patience);
                x.AddConsumer<FakeFetchSourceConsumer>();
                x.AddConsumer<FakeScrapeMetadataConsumer>();
                if (translator) x.AddConsumer<FakeTranslateTitleConsumer>();
            });
        });
        var lifecycle = new LifecycleApp(app, script);
        await lifecycle.Harness.Start();
        return lifecycle;
    }

    public ITestHarness Harness => App.Services.GetRequiredService<ITestHarness>();

    public ISagaStateMachineTestHarness<ResourceLifecycleStateMachine, ResourceLifecycle> Saga =>
        Harness.GetSagaStateMachineHarness<ResourceLifecycleStateMachine, ResourceLifecycle>();

    public ResourceLifecycleStateMachine Machine => App.Services.GetRequiredService<ResourceLifecycleStateMachine>();

    public InProcessMessageScheduler Scheduler => App.Services.GetRequiredService<InProcessMessageScheduler>();

    /// <summary>The saga instance of <paramref name="avid"/> once it is in <paramref name="state"/>.</summary>
    public async Task<ResourceLifecycle> InStateAsync(string avid, Func<ResourceLifecycleStateMachine, State> state)
    {
        var id = Avid.Parse(avid).CorrelationId;
        var found = await Saga.Exists(id, state(Machine), Patience);
        Assert.True(found.HasValue, $"the lifecycle of {avid} never reached {state(Machine).Name}; it is {Saga.Sagas.Contains(id)?.CurrentState ?? "absent"}");
        return Saga.Sagas.Contains(id)!;
    }

    public ResourceLifecycle? Instance(string avid) => Saga.Sagas.Contains(Avid.Parse(avid).CorrelationId);

    public Task WaitAsync(Func<bool> condition, string what) => Wait.UntilAsync(condition, Patience, what);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
