using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

/// <summary>
/// Sixteen at a time on the endpoint, all for one instance: without the row lock (PostgreSQL) or the
/// IMMEDIATE transaction (SQLite) read-modify-write loses increments, or (with the version column) conflicts
/// and only gets there through retries. With the lock no message needs a retry.
/// </summary>
public sealed class When_many_messages_hit_one_instance
{
    private const int Messages = 50;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_count_every_one_exactly_once(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "ivy"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        await Task.WhenAll(Enumerable.Range(0, Messages).Select(_ => host.Publish(new CountOrder(id))));

        await host.WaitUntilAsync(async () => (await host.LoadAsync(id))?.Counter >= Messages, $"the counter to reach {Messages}");
        Assert.False(await host.FaultedAsync<CountOrder>());
        Assert.Equal(Messages, (await host.LoadAsync(id))!.Counter);
        if (host.IsEf)
        {
            var row = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
            Assert.Equal((Messages, Messages + 1), (row.Counter, row.Version));
            // Serialised by the lock, not rescued by the version check and the retry policy.
            Assert.Equal(0, row.Retried);
        }
    }
}
