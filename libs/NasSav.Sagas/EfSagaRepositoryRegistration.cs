using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NasSav.Sagas.Outbox;

namespace NasSav.Sagas;

public static class EfSagaRepositoryRegistration
{
    /// <summary>
    /// Stores this saga in <typeparamref name="TDbContext"/> (which must map it and be registered in DI, e.g. by
    /// AddNasSavDatabase): <c>x.AddSagaStateMachine&lt;OrderStateMachine, OrderState, OrderStateDefinition&gt;()
    /// .EfRepository&lt;OrderState, CatalogDbContext&gt;()</c>. Pair with <see cref="EfSagaDefinition{TSaga,TDbContext}"/>
    /// (retry on conflicts + the EF outbox).
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> EfRepository<TSaga, TDbContext>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        configurator.Repository(r => r.AddEfSagaRepository<TSaga, TDbContext>());
        return configurator;
    }

    /// <summary>
    /// Every saga added AFTER this call is stored in <typeparamref name="TDbContext"/>. The registration is shared
    /// by all modules of a host, so prefer <see cref="EfRepository{TSaga,TDbContext}"/> per saga.
    /// </summary>
    public static void SetEfSagaRepositoryProvider<TDbContext>(this IRegistrationConfigurator configurator) where TDbContext : DbContext =>
        configurator.SetSagaRepositoryProvider(new EfSagaRepositoryRegistrationProvider<TDbContext>());

    /// <summary>The three MassTransit registrations (send, load, query), all on the one scoped factory type.</summary>
    public static void AddEfSagaRepository<TSaga, TDbContext>(this ISagaRepositoryRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        configurator.RegisterLoadSagaRepository<TSaga, EfSagaRepositoryContextFactory<TSaga, TDbContext>>();
        configurator.RegisterQuerySagaRepository<TSaga, EfSagaRepositoryContextFactory<TSaga, TDbContext>>();
        configurator.RegisterSagaRepository<TSaga, TDbContext, SagaConsumeContextFactory<TDbContext, TSaga>,
            EfSagaRepositoryContextFactory<TSaga, TDbContext>>();
    }

    /// <summary>
    /// Maps the saga's key for the repository: CorrelationId is the primary key and never generated, and an
    /// <see cref="ISagaVersion"/> saga's Version is a concurrency token. Table and column names stay yours.
    /// </summary>
    public static EntityTypeBuilder<TSaga> MapSagaInstance<TSaga>(this EntityTypeBuilder<TSaga> entity) where TSaga : class, ISaga
    {
        entity.HasKey(nameof(ISaga.CorrelationId));
        entity.Property(nameof(ISaga.CorrelationId)).ValueGeneratedNever();
        if (typeof(ISagaVersion).IsAssignableFrom(typeof(TSaga)))
            entity.Property(nameof(ISagaVersion.Version)).IsConcurrencyToken();
        return entity;
    }
}

/// <summary>For <c>SetSagaRepositoryProvider</c>: puts every saga registered after it into <typeparamref name="TDbContext"/>.</summary>
public sealed class EfSagaRepositoryRegistrationProvider<TDbContext> : ISagaRepositoryRegistrationProvider where TDbContext : DbContext
{
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator) where TSaga : class, ISaga =>
        configurator.EfRepository<TSaga, TDbContext>();
}

/// <summary>
/// The endpoint a saga on this repository needs: retry conflicts at once (the lock loser, the duplicate first
/// insert, deadlocks, SQLite busy), and one transaction of <typeparamref name="TDbContext"/> per message holding
/// the saga row, the activities' writes, the inbox row and the outbox rows of everything the saga publishes,
/// sends, responds or schedules (docs/sagas.md). Register the outbox with <c>services.AddEfOutbox&lt;TDbContext&gt;()</c>.
/// Derive (and call base) to add more.
/// </summary>
public abstract class EfSagaDefinition<TSaga, TDbContext> : SagaDefinition<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<TSaga> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseEfSagaPipeline<TDbContext>(context);
    }
}

public static class EfSagaPipelineExtensions
{
    /// <summary>
    /// Conflict retry, then the EF outbox (<see cref="EfOutboxRegistration.UseEfOutbox{TDbContext}"/> with its durable
    /// scheduler): each attempt gets a fresh transaction and capture, so a failed attempt's messages are never written
    /// and only the committed attempt's leave, after the commit. Default schedule: 10 immediate-ish retries from
    /// 10 ms up to 1 s; <paramref name="schedule"/> replaces it (the conflict filter stays). Transient infrastructure
    /// errors (database or broker down) are retried with backoff by the bus-wide policy outside this one.
    /// </summary>
    public static void UseEfSagaPipeline<TDbContext>(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        Action<IRetryConfigurator>? schedule = null) where TDbContext : DbContext
    {
        endpoint.UseMessageRetry(r =>
        {
            r.HandleSagaConflicts();
            if (schedule is null) r.Intervals(10, 20, 50, 100, 200, 300, 500, 750, 1000, 1000);
            else schedule(r);
        });
        endpoint.UseEfOutbox<TDbContext>(context, o => o.Scheduler = true);
    }
}
