using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.Database;
using NasSav.Sagas.Outbox;
using NasSav.Sagas;
using NasSav.Testing;

namespace NasSav.Sagas.Tests;

public enum SagaStore
{
    /// <summary>MassTransit's in-memory repository: the reference behaviour the EF repository must match.</summary>
    InMemory,
    Sqlite,
    Postgres,
}

/// <summary>
/// The test saga on MassTransit's test harness (in-memory transport) with its repository on one store.
/// The test DbContext is registered on every store (the note activity needs it); only the EF stores hold
/// the saga in it.
/// </summary>
public sealed class SagaHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly SagaDatabase? _ownedDatabase;

    public SagaStore Store { get; }
    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<OrderStateMachine, OrderState> Saga { get; }
    public IServiceProvider Services => _provider;

    private SagaHost(SagaStore store, ServiceProvider provider, SagaDatabase? ownedDatabase)
    {
        Store = store;
        _provider = provider;
        _ownedDatabase = ownedDatabase;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
    }

    /// <param name="rabbitMqUri">Run the harness's bus on this broker instead of the in-memory transport:
    /// queues get a name of their own and go when the bus stops.</param>
    /// <param name="insertOnInitial">The state machine pre-inserts new instances (InsertOnInitial).</param>
    /// <param name="outbox">Outbox settings (the Outbox section), e.g. a short poll interval.</param>
    /// <param name="database">A database the test owns (to start a second host on it, as after a restart);
    /// by default the host makes and drops its own.</param>
    /// <param name="startDispatcher">False: the outbox's dispatcher stays stopped (a process that died after its
    /// commits); <see cref="Dispatcher"/>.StartAsync starts it.</param>
    /// <param name="durableQueues">On RabbitMQ, queues that outlive a lost connection (as in production); give the
    /// test a vhost of its own (<see cref="RabbitVhost"/>) so they go with it. By default they are auto-delete.</param>
    public static async Task<SagaHost> StartAsync(SagaStore store, string? rabbitMqUri = null, bool insertOnInitial = false,
        IDictionary<string, string?>? outbox = null, SagaDatabase? database = null, bool startDispatcher = true, bool durableQueues = false)
    {
        // MassTransit keeps its log context in an AsyncLocal: a host started after another one in the same test would
        // inherit the first one's (disposed) logger factory. Each host starts from a clean execution context.
        Task<SagaHost> start;
        using (ExecutionContext.SuppressFlow())
            start = Task.Run(() => StartCoreAsync(store, rabbitMqUri, insertOnInitial, outbox, database, startDispatcher, durableQueues));
        return await start;
    }

    private static async Task<SagaHost> StartCoreAsync(SagaStore store, string? rabbitMqUri, bool insertOnInitial,
        IDictionary<string, string?>? outbox, SagaDatabase? database, bool startDispatcher, bool durableQueues)
    {
        var owned = database is null ? await SagaDatabase.CreateAsync(store) : null;
        var services = new ServiceCollection();
        services.AddLogging(b => { if (Environment.GetEnvironmentVariable("NASSAV_TEST_LOG") is not null) b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug); });
        services.AddSingleton(new OrderMachineOptions(insertOnInitial));
        services.AddEfOutbox<SagaTestDbContext>(new ConfigurationBuilder().AddInMemoryCollection(outbox ?? new Dictionary<string, string?>()).Build());
        // The harness starts registered hosted services; the dispatcher is started here (or by the test) instead.
        services.RemoveAll<IHostedService>();
        (database ?? owned!).Register(services);

        services.AddMassTransitTestHarness(x =>
        {
            var saga = x.AddSagaStateMachine<OrderStateMachine, OrderState, OrderStateDefinition>();
            if (store != SagaStore.InMemory) saga.EfRepository<OrderState, SagaTestDbContext>();
            // Inactivity bounds the "was it NOT published" checks, which wait for the bus to go quiet.
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(1));
            if (rabbitMqUri is not null)
            {
                x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("saga-test-" + Guid.NewGuid().ToString("N")[..8], false));
                x.AddConfigureEndpointsCallback((_, cfg) =>
                {
                    if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.AutoDelete = !durableQueues;
                });
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbitMqUri));
                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });
        try
        {
            await using (var scope = provider.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SagaTestDbContext>();
                await DatabaseMigrator<SagaTestDbContext>.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
            }
            var host = new SagaHost(store, provider, owned);
            await host.Harness.Start();
            // No generic host here: the outbox's dispatcher is started (and stopped) by hand.
            if (startDispatcher) await host.Dispatcher.StartAsync(CancellationToken.None);
            return host;
        }
        catch
        {
            await provider.DisposeAsync();
            if (owned is not null) await owned.DisposeAsync();
            throw;
        }
    }

    public bool IsEf => Store != SagaStore.InMemory;

    public OutboxDispatcher<SagaTestDbContext> Dispatcher => _provider.GetRequiredService<OutboxDispatcher<SagaTestDbContext>>();

    public Task Publish<T>(T message) where T : class => Harness.Bus.Publish(message);

    /// <summary>The instance as the repository returns it to the harness (ILoadSagaRepository): a fresh scope.</summary>
    public Task<OrderState?> LoadAsync(Guid id) =>
        _provider.GetRequiredService<ILoadSagaRepository<OrderState>>().Load(id)!;

    /// <summary>A fresh DbContext, nothing shared with the bus: what is committed, and only that.</summary>
    public async Task<T> ReadAsync<T>(Func<SagaTestDbContext, Task<T>> read)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SagaTestDbContext>());
    }

    public Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Wait.UntilAsync(condition, TimeSpan.FromSeconds(60), what);

    /// <summary>
    /// Whether a fault of <typeparamref name="T"/> was published before the bus went quiet (the harness's inactivity
    /// timeout): for asserting that none came. To wait for one that must come, <see cref="WaitForFaultAsync{T}"/>.
    /// </summary>
    public Task<bool> FaultedAsync<T>() where T : class => Harness.Published.Any<Fault<T>>();

    /// <summary>
    /// Waits until a fault of <typeparamref name="T"/> has been published. A retried save on a loaded machine can keep
    /// the bus quiet for longer than the harness's inactivity timeout, so one <c>Any</c> is not enough.
    /// </summary>
    public Task WaitForFaultAsync<T>() where T : class =>
        WaitUntilAsync(() => Harness.Published.Any<Fault<T>>(), $"a fault of {typeof(T).Name} to be published");

    /// <summary>Publishes through the outbox of a fresh scope (as an HTTP endpoint would) and commits.</summary>
    public async Task PublishThroughOutboxAsync(params object[] messages)
    {
        await using var scope = _provider.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<SagaTestDbContext>>();
        foreach (var message in messages) await outbox.PublishEndpoint.Publish(message);
        await outbox.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The rows of the outbox as committed.</summary>
    public Task<List<OutboxMessage>> OutboxAsync() => ReadAsync(db => db.Set<OutboxMessage>().AsNoTracking().OrderBy(x => x.SequenceNumber).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Dispatcher.StopAsync(CancellationToken.None);
            await Harness.Stop();
        }
        finally
        {
            await _provider.DisposeAsync();
            if (_ownedDatabase is not null) await _ownedDatabase.DisposeAsync();
        }
    }
}
