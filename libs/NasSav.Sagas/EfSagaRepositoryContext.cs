using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace NasSav.Sagas;

/// <summary>
/// One saga message's view of the repository, inside the transaction opened by
/// <see cref="EfSagaRepositoryContextFactory{TSaga,TDbContext}"/>. Every write goes through the scoped
/// DbContext's SaveChanges, so entities the saga's activities changed on the same DbContext are written with
/// the saga row; the factory commits them together.
/// </summary>
public sealed class EfSagaRepositoryContext<TSaga, TMessage, TDbContext> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>,
    IDisposable
    where TSaga : class, ISaga
    where TMessage : class
    where TDbContext : DbContext
{
    private readonly TDbContext _db;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<TDbContext, TSaga> _factory;
    private readonly SagaLocking _locking;
    private readonly SagaTableMapping<TSaga> _map;
    // A query context may hand several instances to the saga at once; a DbContext allows one operation at a time.
    private readonly SemaphoreSlim _inUse = new(1, 1);

    internal EfSagaRepositoryContext(TDbContext db, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<TDbContext, TSaga> factory, SagaLocking locking)
        : base(consumeContext, db)
    {
        _db = db;
        _consumeContext = consumeContext;
        _factory = factory;
        _locking = locking;
        _map = SagaTableMapping<TSaga>.For(db);
    }

    public void Dispose() => _inUse.Dispose();

    /// <summary>A new instance the saga is about to initialise; written by <see cref="Save"/> if it survives.</summary>
    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_db, _consumeContext, instance, SagaConsumeContextMode.Add);

    /// <summary>
    /// Pre-insert (state machines with InsertOnInitial): write the bare instance now. If another message
    /// already inserted it, return null and MassTransit loads (and locks) the existing row instead. EF wraps
    /// SaveChanges in a savepoint inside our transaction, so the failed insert leaves the transaction usable.
    /// </summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        await _inUse.WaitAsync(CancellationToken);
        try
        {
            if (instance is ISagaVersion versioned && versioned.Version == 0) versioned.Version = 1;
            var entry = _db.Set<TSaga>().Add(instance);
            try
            {
                await _db.SaveChangesAsync(CancellationToken);
            }
            catch (DbUpdateException ex) when (EfSagaConflicts.IsUniqueViolation(ex))
            {
                entry.State = EntityState.Detached;
                return null!;
            }
        }
        finally
        {
            _inUse.Release();
        }
        return await _factory.CreateSagaConsumeContext(_db, _consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        TSaga? instance;
        await _inUse.WaitAsync(CancellationToken);
        try
        {
            instance = await _locking.LoadForUpdateAsync<TSaga>(_db, correlationId, CancellationToken);
        }
        finally
        {
            _inUse.Release();
        }
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_db, _consumeContext, instance, SagaConsumeContextMode.Load);
    }

    /// <summary>Writes a new instance (after <see cref="Add"/>). A concurrent first message for the same id loses here.</summary>
    public Task Save(SagaConsumeContext<TSaga> context) => WriteAsync(context.Saga, () =>
    {
        if (context.Saga is ISagaVersion versioned && versioned.Version == 0) versioned.Version = 1;
        _db.Set<TSaga>().Add(context.Saga);
    });

    public Task Update(SagaConsumeContext<TSaga> context) => WriteAsync(context.Saga, () =>
    {
        var entry = _db.Entry(context.Saga);
        if (entry.State == EntityState.Detached) _db.Set<TSaga>().Update(context.Saga);
        if (context.Saga is ISagaVersion versioned) versioned.Version++;
    });

    /// <summary>Finalized and <c>SetCompletedWhenFinalized</c>: the row goes, in the same transaction.</summary>
    public Task Delete(SagaConsumeContext<TSaga> context) => WriteAsync(context.Saga, () => _db.Set<TSaga>().Remove(context.Saga));

    /// <summary>A new instance that completed at once (or failed) is never written.</summary>
    public async Task Discard(SagaConsumeContext<TSaga> context)
    {
        await _inUse.WaitAsync(CancellationToken);
        try
        {
            var entry = _db.Entry(context.Saga);
            if (entry.State == EntityState.Added) entry.State = EntityState.Detached;
        }
        finally
        {
            _inUse.Release();
        }
    }

    /// <summary>Read-only policies: forget any change made to the loaded instance.</summary>
    public async Task Undo(SagaConsumeContext<TSaga> context)
    {
        await _inUse.WaitAsync(CancellationToken);
        try
        {
            var entry = _db.Entry(context.Saga);
            if (entry.State is EntityState.Modified or EntityState.Unchanged)
            {
                entry.CurrentValues.SetValues(entry.OriginalValues);
                entry.State = EntityState.Unchanged;
            }
        }
        finally
        {
            _inUse.Release();
        }
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_db, consumeContext, instance, mode);

    private async Task WriteAsync(TSaga saga, Action stage)
    {
        await _inUse.WaitAsync(CancellationToken);
        try
        {
            stage();
            await _db.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrencyException(
                $"The {typeof(TSaga).Name} row changed or vanished under a concurrent message", typeof(TSaga), saga.CorrelationId, ex);
        }
        catch (DbUpdateException ex) when (EfSagaConflicts.IsUniqueViolation(ex) && ex.Entries.Any(e => ReferenceEquals(e.Entity, saga)))
        {
            throw new ConcurrencyException(
                $"Another message created {typeof(TSaga).Name} {saga.CorrelationId} first ({_map.Table})", typeof(TSaga), saga.CorrelationId, ex);
        }
        finally
        {
            _inUse.Release();
        }
    }
}

/// <summary>Out-of-band reads (<c>ILoadSagaRepository</c>, <c>IQuerySagaRepository</c>, the test harness): no transaction, no lock.</summary>
internal sealed class EfSagaQueryContext<TSaga>(DbContext db, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken),
    LoadSagaRepositoryContext<TSaga>,
    QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId) =>
        (await db.Set<TSaga>().AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression).Select(x => x.CorrelationId).ToListAsync(cancellationToken);
        return new DefaultSagaRepositoryQueryContext<TSaga>(this, ids);
    }
}
