using System.Collections.Concurrent;
using System.Threading.Channels;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NasSav.Sagas.Outbox;

/// <summary>What captures need from the dispatcher of their DbContext: the clock, its name, its options, the fast lane.</summary>
public abstract class OutboxDispatcherCore(IServiceProvider services, IOptions<OutboxOptions> options, TimeProvider clock) : BackgroundService
{
    protected IServiceProvider Services => services;

    private readonly ConcurrentDictionary<Type, string?> _publishPaths = new();

    public OutboxOptions Options => options.Value;
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public string Instance { get; } = options.Value.InstanceName is { Length: > 0 } name
        ? name
        : $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Hands rows this instance claimed at write time, now committed, to the delivery loop.</summary>
    internal abstract void Deliver(IReadOnlyList<OutboxMessage> rows);

    /// <summary>
    /// Whether <paramref name="destination"/> is where the bus publishes <typeparamref name="T"/>: the same entity (exchange)
    /// as the publish topology's address, compared by name (the topology builds it on the bus's own address).
    /// </summary>
    internal bool IsPublishAddress<T>(Uri? destination) where T : class
    {
        if (destination is null) return false;
        var entity = _publishPaths.GetOrAdd(typeof(T), _ =>
        {
            var bus = services.GetService<IBus>();
            return bus is not null && bus.Topology.PublishTopology.GetMessageTopology<T>().TryGetPublishAddress(bus.Address, out var address)
                ? EntityName(address)
                : null;
        });
        return entity is not null && string.Equals(EntityName(destination), entity, StringComparison.Ordinal);
    }

    private static string EntityName(Uri address) => Uri.UnescapeDataString(address.AbsolutePath.TrimEnd('/').Split('/')[^1]);
}

/// <summary>
/// Delivers the outbox of <typeparamref name="TDbContext"/>: rows committed by this process go out at once (they
/// were claimed when written), and every <see cref="OutboxOptions.PollInterval"/> it claims rows that are due —
/// scheduled messages, earlier failures, rows a stopped instance left. A row is deleted once the broker took it;
/// a failure keeps it, due again after a backoff, forever: nothing committed is dropped except a message past its
/// time to live. Claims are row locks (PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, SQLite's write lock) plus a
/// lease (<c>locked_until</c>), so several instances share the work; a message is sent twice only if its
/// dispatcher dies between the send and the delete, and the receiver's inbox (or its idempotence) absorbs that.
/// </summary>
public sealed class OutboxDispatcher<TDbContext>(
    IServiceProvider serviceProvider,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher<TDbContext>> logger) : OutboxDispatcherCore(serviceProvider, options, clock)
    where TDbContext : DbContext
{
    private readonly Channel<IReadOnlyList<OutboxMessage>> _fastLane = Channel.CreateUnbounded<IReadOnlyList<OutboxMessage>>(
        new UnboundedChannelOptions { SingleReader = true });
    // Sent, but the delete failed (database down): never sent again by us, deleted as soon as the database answers.
    private readonly ConcurrentDictionary<long, byte> _sentNotDeleted = new();
    private DateTime _nextCleanup;
    private DateTime _lastWarning;
    private long _delivered;
    private long _failures;

    /// <summary>Messages handed to the broker since start.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Failed delivery attempts since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    internal override void Deliver(IReadOnlyList<OutboxMessage> rows) => _fastLane.Writer.TryWrite(rows);

    private int _started;

    /// <summary>Once: the generic host and MassTransit's test harness may both start hosted services.</summary>
    public override Task StartAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _started, 1) == 0 ? base.StartAsync(cancellationToken) : Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        _nextCleanup = Now + TimeSpan.FromMinutes(1);
        var nextPoll = Now;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                while (_fastLane.Reader.TryRead(out var rows)) await DeliverAsync(rows, stopping);
                if (!_sentNotDeleted.IsEmpty) await DeleteDeliveredAsync(stopping);
                if (Now >= nextPoll) nextPoll = await PollAsync(stopping) ? Now : Now + Options.PollInterval;
                if (Now >= _nextCleanup) await CleanupInboxAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is down or refused: the rows stay where they are; try again after the poll interval.
                Warn(ex, "The outbox of {Context} could not be read or updated; retrying", typeof(TDbContext).Name);
                nextPoll = Now + Options.PollInterval;
            }

            var wait = nextPoll - Now;
            if (wait <= TimeSpan.Zero) continue;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(wait);
            try
            {
                await _fastLane.Reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                // Poll time.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims due rows not locked by anyone and delivers them; true when a full batch came back (more may wait).</summary>
    private async Task<bool> PollAsync(CancellationToken ct)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = Now;
        var due = db.Set<OutboxMessage>().Where(x => x.DueAt <= now && (x.LockedUntil == null || x.LockedUntil < now));
        if (!await due.AnyAsync(ct)) return false;

        List<OutboxMessage> rows;
        var locking = SagaLocking.For(db);
        await using (var transaction = await locking.BeginAsync(db, ct))
        {
            rows = db.Database.IsNpgsql()
                ? await db.Set<OutboxMessage>().FromSqlRaw(OutboxTables.For(db).ClaimDueSql, now, Options.BatchSize)
                    .AsTracking().ToListAsync(ct)
                : await due.OrderBy(x => x.SequenceNumber).Take(Options.BatchSize).AsTracking().ToListAsync(ct);
            rows.RemoveAll(r => _sentNotDeleted.ContainsKey(r.SequenceNumber));
            foreach (var row in rows)
            {
                row.LockedBy = Instance;
                row.LockedUntil = now + Options.LockTimeout;
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        if (rows.Count > 0) await DeliverAsync(rows, ct);
        return rows.Count >= Options.BatchSize;
    }

    /// <summary>Sends rows this instance holds, in order; on the first failure the rest are released for a later attempt.</summary>
    private async Task DeliverAsync(IReadOnlyList<OutboxMessage> rows, CancellationToken ct)
    {
        var bus = Services.GetRequiredService<IBus>();
        var sent = new List<long>(rows.Count);
        var ordered = rows.OrderBy(r => r.SequenceNumber).ToList();
        try
        {
            for (var i = 0; i < ordered.Count; i++)
            {
                var row = ordered[i];
                if (row.LockedUntil is not { } until || until - Now < Options.SendTimeout + Options.SendTimeout)
                {
                    // The claim runs out (a long batch, a slow broker): renew it for the rest, or leave what another took.
                    var kept = await RenewClaimsAsync(ordered.Skip(i).ToList(), ct);
                    ordered = [.. ordered.Take(i), .. kept];
                    if (i >= ordered.Count) break;
                    row = ordered[i];
                }
                if (row.ExpirationTime is { } expires && expires < Now)
                {
                    logger.LogWarning("Dropping outbox message {MessageId} to {Destination}: its time to live ended at {Expiration:O}",
                        row.MessageId, row.DestinationAddress, expires);
                    sent.Add(row.SequenceNumber);
                    continue;
                }
                try
                {
                    await SendAsync(bus, row, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failures);
                    Warn(ex, "Delivering outbox message {MessageId} to {Destination} failed (attempt {Attempt}); it stays in the outbox",
                        row.MessageId, row.DestinationAddress, row.Attempts + 1);
                    await ReleaseAsync(row, ordered.Skip(i + 1).ToList(), ex, CancellationToken.None);
                    return;
                }
                sent.Add(row.SequenceNumber);
                Interlocked.Increment(ref _delivered);
            }
        }
        finally
        {
            // Deleted in one statement once the fast lane is drained (the loop does it): on SQLite every write takes the
            // database's one write lock, and the saga's transactions should not queue behind a delete per message.
            foreach (var id in sent) _sentNotDeleted[id] = 0;
        }
    }

    /// <summary>
    /// A published row is published again as its type (publish observers, such as the test harness, see it; the
    /// publish topology is declared); a sent one is sent to its address. Either way the stored body, ids and headers
    /// go out unchanged (MassTransit's <see cref="OutboxMessageSendPipe"/>).
    /// </summary>
    private async Task SendAsync(IBus bus, OutboxMessage row, CancellationToken ct)
    {
        var destination = new Uri(row.DestinationAddress);
        var pipe = new OutboxMessageSendPipe(new StoredOutboxMessage(row), destination);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.SendTimeout);
        if (row.PublishType is { } type && PublishedMessages.For(type) is { } publish && PublishedMessages.Read(row) is { } message)
        {
            await publish(bus, message, pipe, timeout.Token);
            return;
        }
        var endpoint = await bus.GetSendEndpoint(destination);
        await endpoint.Send(new SerializedMessageBody(), pipe, timeout.Token);
    }

    /// <summary>Extends this instance's claims on <paramref name="rows"/>; returns those still held (another may have taken some).</summary>
    private async Task<List<OutboxMessage>> RenewClaimsAsync(List<OutboxMessage> rows, CancellationToken ct)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var until = Now + Options.LockTimeout;
        var ids = rows.Select(r => r.SequenceNumber).ToList();
        var held = new HashSet<long>();
        await using (var transaction = await SagaLocking.For(db).BeginAsync(db, ct))
        {
            foreach (var chunk in ids.Chunk(500))
            {
                await db.Set<OutboxMessage>().Where(x => chunk.Contains(x.SequenceNumber) && x.LockedBy == Instance)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntil, until), ct);
                held.UnionWith(await db.Set<OutboxMessage>().Where(x => chunk.Contains(x.SequenceNumber) && x.LockedBy == Instance)
                    .Select(x => x.SequenceNumber).ToListAsync(ct));
            }
            await transaction.CommitAsync(ct);
        }
        var kept = rows.Where(r => held.Contains(r.SequenceNumber)).ToList();
        foreach (var row in kept) row.LockedUntil = until;
        if (kept.Count < rows.Count)
            logger.LogInformation("{Count} outbox rows of {Context} were taken over by another dispatcher after this one's claim ran out",
                rows.Count - kept.Count, typeof(TDbContext).Name);
        return kept;
    }

    private async Task DeleteDeliveredAsync(CancellationToken ct)
    {
        try
        {
            await DeleteAsync([.. _sentNotDeleted.Keys], ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Kept in memory (never sent again by us) and deleted as soon as the database answers.
            Warn(ex, "Could not delete {Count} delivered outbox rows of {Context}; retrying", _sentNotDeleted.Count, typeof(TDbContext).Name);
        }
    }

    private async Task DeleteAsync(List<long> ids, CancellationToken ct)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await SagaLocking.For(db).BeginAsync(db, ct);
        foreach (var chunk in ids.Chunk(500))
            await db.Set<OutboxMessage>().Where(x => chunk.Contains(x.SequenceNumber)).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var id in ids) _sentNotDeleted.TryRemove(id, out _);
    }

    /// <summary>The failed row is due again after a backoff; the rows after it are unlocked as they were.</summary>
    private async Task ReleaseAsync(OutboxMessage failed, List<OutboxMessage> rest, Exception error, CancellationToken ct)
    {
        try
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var now = Now;
            var attempts = failed.Attempts + 1;
            var delay = Backoff(attempts);
            var message = $"{error.GetType().Name}: {error.Message}";
            if (message.Length > 2000) message = message[..2000];
            await using var transaction = await SagaLocking.For(db).BeginAsync(db, ct);
            await db.Set<OutboxMessage>().Where(x => x.SequenceNumber == failed.SequenceNumber && x.LockedBy == Instance)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.LastError, message)
                    .SetProperty(x => x.DueAt, now + delay)
                    .SetProperty(x => x.LockedUntil, (DateTime?)null)
                    .SetProperty(x => x.LockedBy, (string?)null), ct);
            var ids = rest.Select(r => r.SequenceNumber).ToList();
            foreach (var chunk in ids.Chunk(500))
                await db.Set<OutboxMessage>().Where(x => chunk.Contains(x.SequenceNumber) && x.LockedBy == Instance)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntil, (DateTime?)null).SetProperty(x => x.LockedBy, (string?)null), ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception ex)
        {
            // Also down: the claims simply expire after LockTimeout.
            Warn(ex, "Could not release outbox rows of {Context}; they are retried once their claim expires", typeof(TDbContext).Name);
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(Options.RetryMinDelay.Ticks * factor, Options.RetryMaxDelay.Ticks));
        return delay < Options.RetryMinDelay ? Options.RetryMinDelay : delay;
    }

    private async Task CleanupInboxAsync(CancellationToken ct)
    {
        _nextCleanup = Now + TimeSpan.FromHours(1);
        var before = Now - Options.InboxRetention;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await SagaLocking.For(db).BeginAsync(db, ct);
        var removed = await db.Set<InboxMessage>().Where(x => x.ReceivedAt < before).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        if (removed > 0) logger.LogInformation("Forgot {Count} inbox entries of {Context} older than {Retention}", removed, typeof(TDbContext).Name, Options.InboxRetention);
    }

    /// <summary>At most one warning per 10 s: a broker or database outage must not flood the log.</summary>
    private void Warn(Exception ex, string message, params object?[] args)
    {
        var now = Now;
        if (now - _lastWarning < TimeSpan.FromSeconds(10))
        {
            logger.LogDebug(ex, message, args);
            return;
        }
        _lastWarning = now;
        logger.LogWarning(ex, message, args);
    }
}

/// <summary>Publishing a stored row again as its CLR type (resolved once per type name).</summary>
internal static class PublishedMessages
{
    private delegate Task Publisher(IBus bus, SerializerContext message, IPipe<SendContext> pipe, CancellationToken ct);

    private static readonly ConcurrentDictionary<string, Func<IBus, SerializerContext, IPipe<SendContext>, CancellationToken, Task>?> Cache =
        new(StringComparer.Ordinal);

    public static Func<IBus, SerializerContext, IPipe<SendContext>, CancellationToken, Task>? For(string typeName) => Cache.GetOrAdd(typeName, name =>
    {
        var type = Type.GetType(name, throwOnError: false);
        if (type is null || !type.IsClass) return null;
        var method = typeof(PublishedMessages).GetMethod(nameof(PublishAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type);
        return method.CreateDelegate<Func<IBus, SerializerContext, IPipe<SendContext>, CancellationToken, Task>>();
    });

    /// <summary>The row's message, read back with the default (envelope) serializer; null for another content type.</summary>
    public static SerializerContext? Read(OutboxMessage row)
    {
        var serializer = SystemTextJsonMessageSerializer.Instance;
        if (!string.Equals(row.ContentType, serializer.ContentType.MediaType, StringComparison.OrdinalIgnoreCase)) return null;
        return serializer.Deserialize(serializer.GetMessageBody(row.Body), new StoredOutboxMessage(row).Headers, new Uri(row.DestinationAddress));
    }

    private static async Task PublishAsync<T>(IBus bus, SerializerContext context, IPipe<SendContext> pipe, CancellationToken ct) where T : class
    {
        if (!context.TryGetMessage<T>(out var message) || message is null)
            throw new InvalidOperationException($"The stored message is not a {typeof(T).Name}");
        await bus.Publish(message, Pipe.ExecuteAsync<PublishContext<T>>(c => pipe.Send(c)), ct);
    }
}
