using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Sagas.Outbox;

/// <summary>
/// One consumed message in one transaction of <typeparamref name="TDbContext"/>: the inbox row (a message already
/// consumed by this endpoint is acknowledged without running again), whatever the consumer or saga writes through
/// the scoped DbContext, and every message it publishes, sends, responds or schedules (outbox rows). After the
/// commit the local dispatcher delivers them; if the commit fails nothing of the attempt remains, and the retry
/// policy outside runs it again with a fresh transaction and capture.
/// <para>The EF saga repository joins this transaction (it finds it open on the same scoped DbContext).</para>
/// </summary>
public sealed class EfOutboxConsumeFilter<TDbContext, TMessage> : IFilter<ConsumeContext<TMessage>>
    where TDbContext : DbContext
    where TMessage : class
{
    private readonly ConsumeScopeProvider _scopes;
    private readonly EfOutboxEndpointOptions _options;
    private readonly OutboxDispatcher<TDbContext> _dispatcher;
    private readonly ILogger _logger;

    public EfOutboxConsumeFilter(IRegistrationContext registration, EfOutboxEndpointOptions options)
    {
        _scopes = new ConsumeScopeProvider(registration);
        _options = options;
        _dispatcher = registration.GetRequiredService<OutboxDispatcher<TDbContext>>();
        _logger = registration.GetRequiredService<ILoggerFactory>().CreateLogger("NasSav.Outbox");
    }

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        await using var scope = await _scopes.GetScope(context);
        var db = scope.GetService<TDbContext>();
        var capture = new OutboxCapture(db, _dispatcher);
        var outbox = new EfOutboxConsumeContext<TMessage>(scope.Context, capture, scope.GetService<IServiceProvider>());
        if (_options.Scheduler)
        {
            MessageSchedulerContext Scheduler() => OutboxSchedulerContext.Create(outbox, capture);
            outbox.AddOrUpdatePayload(Scheduler, _ => Scheduler());
        }

        if (db.Database.CurrentTransaction is not null)
            throw new InvalidOperationException($"A transaction is already open on {typeof(TDbContext).Name}: the outbox owns the message's transaction.");

        var ct = context.CancellationToken;
        await using (var transaction = await SagaLocking.For(db).BeginAsync(db, ct))
        {
            try
            {
                if (context.MessageId is { } messageId && !await Inbox.TryReceiveAsync(db, messageId, _options.Consumer, _dispatcher.Now, ct))
                {
                    await transaction.CommitAsync(ct);
                    // Consumed (by the inbox): acknowledged, not moved to the _skipped queue as an unconsumed message.
                    await context.NotifyConsumed(context, TimeSpan.Zero, "inbox");
                    _logger.LogInformation("{MessageType} {MessageId} was already consumed by {Consumer}; acknowledged without running it again",
                        typeof(TMessage).Name, messageId, _options.Consumer);
                    return;
                }
                await next.Send(outbox);
                if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch
            {
                await transaction.RollbackAsync();
                // Nothing of this attempt reached the database; nothing of it may leak into a retry.
                db.ChangeTracker.Clear();
                capture.Discard();
                throw;
            }
        }
        capture.Committed();
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("efOutbox");
        scope.Add("dbContext", typeof(TDbContext).Name);
        scope.Add("consumer", _options.Consumer);
    }
}

/// <summary>What one endpoint's outbox filter needs to know.</summary>
public sealed class EfOutboxEndpointOptions
{
    /// <summary>The inbox key of this endpoint (its queue name by default).</summary>
    public string Consumer { get; set; } = "";

    /// <summary>Give consumers a message scheduler that writes scheduled messages as due rows (durable timeouts).</summary>
    public bool Scheduler { get; set; }
}

/// <summary>The inbox: one row per (message id, consumer), inserted in the consuming transaction.</summary>
internal static class Inbox
{
    /// <summary>
    /// False when this consumer already committed this message. On PostgreSQL a concurrent delivery of the same
    /// message waits on the key until the first transaction ends, then sees its row (or takes over after a rollback).
    /// </summary>
    public static async Task<bool> TryReceiveAsync(DbContext db, Guid messageId, string consumer, DateTime now, CancellationToken ct)
    {
        var inserted = await db.Database.ExecuteSqlRawAsync(OutboxTables.For(db).InsertInboxSql, [messageId, consumer, now], ct);
        return inserted == 1;
    }
}
