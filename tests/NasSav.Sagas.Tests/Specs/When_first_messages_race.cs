using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

/// <summary>
/// Several messages that may each create the instance arrive together. Exactly one creates it; on PostgreSQL
/// the others' inserts hit the primary key, become ConcurrencyException and are retried against the row.
/// With InsertOnInitial the losers' pre-inserts fail instead and they load (and lock) the winner's row.
/// </summary>
public sealed class When_first_messages_race
{
    private const int Messages = 12;

    public static TheoryData<SagaStore, bool> Cases => new()
    {
        { SagaStore.InMemory, false }, { SagaStore.Sqlite, false }, { SagaStore.Postgres, false },
        { SagaStore.InMemory, true }, { SagaStore.Sqlite, true }, { SagaStore.Postgres, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_create_exactly_one_instance_and_apply_every_message(SagaStore store, bool insertOnInitial)
    {
        await using var host = await SagaHost.StartAsync(store, insertOnInitial: insertOnInitial);
        var id = NewId.NextGuid();

        await Task.WhenAll(Enumerable.Range(0, Messages).Select(_ => host.Publish(new CountOrder(id))));

        await host.WaitUntilAsync(async () => (await host.LoadAsync(id))?.Counter >= Messages, $"the counter to reach {Messages}");
        Assert.False(await host.FaultedAsync<CountOrder>());
        Assert.Equal(Messages, (await host.LoadAsync(id))!.Counter);
        Assert.Equal([id], await host.Saga.Exists(x => x.CorrelationId == id, m => m.Submitted));
        if (host.IsEf)
            Assert.Equal(1, await host.ReadAsync(db => db.Orders.CountAsync(x => x.CorrelationId == id)));
    }
}
