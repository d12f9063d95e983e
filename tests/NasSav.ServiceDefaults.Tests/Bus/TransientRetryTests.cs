using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NasSav.ServiceDefaults.Bus;
using NasSav.Testing;

namespace NasSav.ServiceDefaults.Tests.Bus;

public sealed record RetryProbe(string Text);

/// <summary>What the probe consumer saw: attempts, successes, and the faults the bus published.</summary>
public sealed class RetryProbeState
{
    public required string Connection { get; init; }
    public int Attempts;
    public int Succeeded;
    public int Faults;
}

/// <summary>Reads PostgreSQL (through a relay the test can cut), or refuses the message outright ("bad").</summary>
public sealed class RetryProbeConsumer(RetryProbeState state) : IConsumer<RetryProbe>, IConsumer<Fault<RetryProbe>>
{
    public async Task Consume(ConsumeContext<RetryProbe> context)
    {
        Interlocked.Increment(ref state.Attempts);
        if (context.Message.Text == "bad") throw new InvalidOperationException("a bug, not an outage");
        await using var connection = new NpgsqlConnection(state.Connection);
        await connection.OpenAsync(context.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(context.CancellationToken);
        Interlocked.Increment(ref state.Succeeded);
    }

    public Task Consume(ConsumeContext<Fault<RetryProbe>> context)
    {
        Interlocked.Increment(ref state.Faults);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The bus-wide policy of AddNasSavBus (Bus:Retry): a database that is away is waited out with backoff on every endpoint
/// (the "12 messages went to resource-lifecycle_error with no retry"); a real error faults at once.
/// </summary>
public sealed class TransientRetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<(ServiceProvider Provider, IBusControl Bus)> StartAsync(string transport, string? rabbitMqUri, RetryProbeState state)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = transport,
            ["Bus:RabbitMqUri"] = rabbitMqUri,
            ["Bus:Retry:Limit"] = "30",
            ["Bus:Retry:MinInterval"] = "00:00:00.100",
            ["Bus:Retry:MaxInterval"] = "00:00:00.500",
            ["Bus:Retry:IntervalDelta"] = "00:00:00.100",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(state);
        services.AddBusContribution(x => x.AddConsumer<RetryProbeConsumer>().Endpoint(e => e.Name = "retry-probe-" + Guid.NewGuid().ToString("N")[..8]));
        services.AddNasSavBus(config);
        var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(new CancellationTokenSource(Patience).Token);
        return (provider, bus);
    }

    [Theory]
    [InlineData("InMemory")]
    [InlineData("RabbitMq")]
    public async Task A_database_outage_is_waited_out_instead_of_faulting(string transport)
    {
        var server = new NpgsqlConnectionStringBuilder(await LocalServers.PostgresAsync());
        await using var proxy = TcpProxy.Start(server.Host!, server.Port);
        await using var vhost = transport == "RabbitMq" ? await RabbitVhost.CreateAsync() : null;
        var state = new RetryProbeState
        {
            Connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Pooling = false, Timeout = 2 }.ToString(),
        };
        var (provider, bus) = await StartAsync(transport, vhost?.AmqpUri, state);
        try
        {
            proxy.Cut();
            await bus.Publish(new RetryProbe("outage"));
            await Wait.UntilAsync(() => Volatile.Read(ref state.Attempts) >= 3, Patience, "three attempts against the database that is away");

            proxy.Restore();

            await Wait.UntilAsync(() => Volatile.Read(ref state.Succeeded) == 1, Patience, "the message to be consumed once the database is back");
            Assert.Equal(0, Volatile.Read(ref state.Faults));
        }
        finally
        {
            await bus.StopAsync();
            await provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_real_error_faults_at_the_first_attempt()
    {
        var state = new RetryProbeState { Connection = await LocalServers.PostgresAsync() };
        var (provider, bus) = await StartAsync("InMemory", null, state);
        try
        {
            await bus.Publish(new RetryProbe("bad"));
            await Wait.UntilAsync(() => Volatile.Read(ref state.Faults) == 1, Patience, "the fault");
            Assert.Equal(1, Volatile.Read(ref state.Attempts));
        }
        finally
        {
            await bus.StopAsync();
            await provider.DisposeAsync();
        }
    }
}
