using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace NasSav.Sagas;

/// <summary>
/// Saga repository over EF Core for <typeparamref name="TSaga"/> mapped in <typeparamref name="TDbContext"/>.
/// Registered scoped (see <see cref="EfSagaRepositoryRegistration"/>): MassTransit resolves it from the
/// message's service scope, so <typeparamref name="TDbContext"/> is the very instance the saga's activities
/// get injected, and their changes commit in the saga's transaction.
/// <para>Per message: begin the provider's transaction (<see cref="SagaLocking"/>), load the instance locked,
/// run the saga, SaveChanges, commit. Any failure rolls back and clears the change tracker, so a retry in the
/// same scope starts clean. Conflicts surface as <see cref="ConcurrencyException"/> (or a transient provider
/// error) for <c>UseMessageRetry</c>; the repository never re-runs the saga itself, because the messages the first run
/// captured in the outbox would then be written twice. Behind the EF outbox filter the transaction is the filter's:
/// the repository joins it.</para>
/// </summary>
public sealed class EfSagaRepositoryContextFactory<TSaga, TDbContext>(
    TDbContext db,
    ISagaConsumeContextFactory<TDbContext, TSaga> consumeContextFactory) :
    ISagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "entity-framework-core");
        context.Add("dbContext", typeof(TDbContext).Name);
        context.Add("provider", db.Database.ProviderName ?? "");
    }

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class =>
        InTransactionAsync(context, async repositoryContext => await next.Send(repositoryContext));

    /// <summary>
    /// Correlation by expression (<c>CorrelateBy</c>): find the matching ids, then lock and load each in id order
    /// (one order for everyone, so two queries cannot deadlock each other), keeping those that still match.
    /// On PostgreSQL a row inserted after the id query is not seen by this message.
    /// </summary>
    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next) where T : class =>
        InTransactionAsync(context, async repositoryContext =>
        {
            var locking = SagaLocking.For(db);
            var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression)
                .Select(x => x.CorrelationId).OrderBy(x => x).ToListAsync(context.CancellationToken);
            var filter = query.GetFilter();
            var instances = new List<TSaga>(ids.Count);
            foreach (var id in ids)
            {
                var instance = await locking.LoadForUpdateAsync<TSaga>(db, id, context.CancellationToken);
                if (instance is not null && filter(instance)) instances.Add(instance);
            }
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
        });

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfSagaQueryContext<TSaga>(db, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfSagaQueryContext<TSaga>(db, cancellationToken));

    private async Task InTransactionAsync<T>(ConsumeContext<T> context, Func<EfSagaRepositoryContext<TSaga, T, TDbContext>, Task> body)
        where T : class
    {
        var locking = SagaLocking.For(db);
        using var repositoryContext = new EfSagaRepositoryContext<TSaga, T, TDbContext>(db, context, consumeContextFactory, locking);

        if (db.Database.CurrentTransaction is not null)
        {
            // Someone up the pipe owns a transaction on this DbContext: join it, they commit. On SQLite the
            // write lock is then only as strong as their transaction (deferred unless they began it IMMEDIATE).
            await body(repositoryContext);
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(context.CancellationToken);
            return;
        }

        await using var transaction = await locking.BeginAsync(db, context.CancellationToken);
        try
        {
            await body(repositoryContext);
            // Changes of activities when the saga itself wrote nothing (e.g. an instance that finalized at once).
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }
        catch
        {
            await transaction.RollbackAsync();
            // Nothing of this attempt reached the database; nothing of it may leak into a retry on this DbContext.
            db.ChangeTracker.Clear();
            throw;
        }
    }
}
