using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace NasSav.Sagas.Outbox;

/// <summary>
/// The rows one unit of work (a consumed message, an HTTP request) adds to the outbox of its DbContext. They are
/// saved by that DbContext's SaveChanges, so they commit or roll back with everything else it writes. Rows due now
/// are claimed by this instance as they are written: after the commit the local dispatcher sends them at once
/// (<see cref="Committed"/>); if this process dies first, the claim expires and any dispatcher takes them.
/// </summary>
public sealed class OutboxCapture
{
    private readonly DbContext _db;
    private readonly OutboxDispatcherCore _dispatcher;
    private readonly List<OutboxMessage> _rows = [];

    internal OutboxCapture(DbContext db, OutboxDispatcherCore dispatcher)
    {
        _db = db;
        _dispatcher = dispatcher;
    }

    internal DbContext Db => _db;

    /// <summary>Rows added by this unit of work.</summary>
    public IReadOnlyList<OutboxMessage> Rows
    {
        get { lock (_rows) return [.. _rows]; }
    }

    public Task AddSend<T>(SendContext<T> context) where T : class
    {
        var now = _dispatcher.Now;
        var row = OutboxRows.Capture(context, now, _dispatcher.IsPublishAddress<T>(context.DestinationAddress));
        if (row.DueAt <= now)
        {
            row.LockedBy = _dispatcher.Instance;
            row.LockedUntil = now + _dispatcher.Options.LockTimeout;
        }
        lock (_rows)
        {
            _db.Set<OutboxMessage>().Add(row);
            _rows.Add(row);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes a scheduled message: one added by this unit of work is simply not written; one committed earlier is
    /// deleted in the current transaction (so a rollback brings it back).
    /// </summary>
    public async Task CancelScheduledAsync(Guid tokenId, CancellationToken ct)
    {
        lock (_rows)
        {
            foreach (var row in _rows.Where(r => r.TokenId == tokenId).ToList())
            {
                _db.Entry(row).State = EntityState.Detached;
                _rows.Remove(row);
            }
        }
        await _db.Set<OutboxMessage>().Where(x => x.TokenId == tokenId).ExecuteDeleteAsync(ct);
    }

    /// <summary>Call once the rows are committed: the local dispatcher delivers those due now without waiting for its next poll.</summary>
    public void Committed()
    {
        List<OutboxMessage> due;
        lock (_rows)
        {
            due = _rows.Where(r => r.LockedBy == _dispatcher.Instance && r.SequenceNumber > 0).ToList();
            _rows.Clear();
        }
        if (due.Count > 0) _dispatcher.Deliver(due);
    }

    /// <summary>The unit of work failed: its rows were not written (the caller clears the change tracker).</summary>
    public void Discard()
    {
        lock (_rows) _rows.Clear();
    }
}
