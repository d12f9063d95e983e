using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.ServiceDefaults.Data;
using NasSav.ServiceDefaults.Outbox;
using NasSav.ServiceDefaults.Sagas;
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
    private readonly PostgresDatabase? _postgres;
    private readonly string? _folder;

    public SagaStore Store { get; }
    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<OrderStateMachine, OrderState> Saga { get; }
    public IServiceProvider Services => _provider;

    private SagaHost(SagaStore store, ServiceProvider provider, PostgresDatabase? postgres, string? folder)
    {
        Store = store;
        _provider = provider;
        _postgres = postgres;
        _folder = folder;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
    }

    /// <param name="rabbitMqUri">Run the harness's bus on this broker instead of the in-memory transport:
    /// queues get a name of their own and go when the bus stops.</param>
    /// <param name="insertOnInitial">The state machine pre-inserts new instances (InsertOnInitial).</param>
    /// <param name="outbox">Outbox settings (the Outbox section), e.g. a short poll interval.</param>
    public static async Task<SagaHost> StartAsync(SagaStore store, string? rabbitMqUri = null, bool insertOnInitial = false,
        IDictionary<string, string?>? outbox = null)
    {
        PostgresDatabase? postgres = null;
        string? folder = null;
        var services = new ServiceCollection();
        services.AddLogging(b => { if (Environment.GetEnvironmentVariable("NASSAV_TEST_LOG") is not null) b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug); });
        services.AddSingleton(new OrderMachineOptions(insertOnInitial));
        services.AddEfOutbox<SagaTestDbContext>(new ConfigurationBuilder().AddInMemoryCollection(outbox ?? new Dictionary<string, string?>()).Build());
        if (store == SagaStore.Postgres)
        {
            postgres = await PostgresDatabase.CreateAsync();
            var connection = postgres.ConnectionString;
            services.AddDbContext<SagaTestDbContext>(o => o.UseNpgsql(connection));
        }
        else
        {
            folder = Path.Combine(Path.GetTempPath(), "nassav-sagas-" + Guid.NewGuid().ToString("N")[..12]);
            var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "sagas.db"), DefaultTimeout = 30, Pooling = true }.ToString();
            services.AddDbContext<SagaTestDbContext>(o => o.UseSqlite(connection));
        }

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
                    if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.AutoDelete = true;
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
            var host = new SagaHost(store, provider, postgres, folder);
            await host.Harness.Start();
            // No generic host here: the outbox's dispatcher is started (and stopped) by hand.
            await host.Dispatcher.StartAsync(CancellationToken.None);
            return host;
        }
        catch
        {
            await provider.DisposeAsync();
            if (postgres is not null) await postgres.DisposeAsync();
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

    /// <summary>True once a fault of <typeparamref name="T"/> has been published (waits up to the test timeout).</summary>
    public Task<bool> FaultedAsync<T>() where T : class => Harness.Published.Any<Fault<T>>();

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
            if (_postgres is not null) await _postgres.DisposeAsync();
            if (_folder is not null)
            {
                SqliteConnection.ClearAllPools();
                try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
            }
        }
    }
}
