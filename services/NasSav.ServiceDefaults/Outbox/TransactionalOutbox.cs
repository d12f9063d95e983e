using MassTransit;
using MassTransit.Clients;
using MassTransit.Initializers;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Sagas;

namespace NasSav.ServiceDefaults.Outbox;

/// <summary>
/// The outbox for code that is not a consumer (an HTTP endpoint): what it publishes or sends through
/// <see cref="PublishEndpoint"/> / <see cref="SendEndpointProvider"/> is added to the scoped
/// <typeparamref name="TDbContext"/> and written by its next SaveChanges, with the endpoint's own changes.
/// Call <see cref="SaveChangesAsync"/> (or <see cref="Committed"/> after committing your own transaction) so the
/// local dispatcher sends them at once.
/// </summary>
public sealed class TransactionalOutbox<TDbContext> : OutboxSendContext where TDbContext : DbContext
{
    private readonly TDbContext _db;
    private readonly IServiceProvider _services;
    private readonly OutboxCapture _capture;

    public TransactionalOutbox(TDbContext db, IBus bus, OutboxDispatcher<TDbContext> dispatcher, IServiceProvider services)
    {
        _db = db;
        _services = services;
        _capture = new OutboxCapture(db, dispatcher);
        PublishEndpoint = new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));
        SendEndpointProvider = new OutboxSendEndpointProvider(this, bus);
    }

    public IPublishEndpoint PublishEndpoint { get; }
    public ISendEndpointProvider SendEndpointProvider { get; }

    public Task AddSend<T>(SendContext<T> context) where T : class => _capture.AddSend(context);

    public object? GetService(Type serviceType) => _services.GetService(serviceType);

    /// <summary>SaveChanges of the scoped DbContext, then (unless a transaction of yours is still open) delivery.</summary>
    public async Task SaveChangesAsync(CancellationToken ct)
    {
        await _db.SaveChangesAsync(ct);
        if (_db.Database.CurrentTransaction is null) _capture.Committed();
    }

    /// <summary>After you committed your own transaction.</summary>
    public void Committed() => _capture.Committed();
}

/// <summary>
/// Request clients whose request is written to the outbox of <typeparamref name="TDbContext"/> (committed on its
/// own, at once) before the client waits for the answer. Once <c>GetResponse</c> has got past the send, the request
/// is durable: a broker that is down delays it, it does not lose it; a database that is down fails the call
/// with the database's error instead of a 202 for a request that was never sent.
/// </summary>
public sealed class DurableRequestClients<TDbContext>(IServiceProvider services, OutboxDispatcher<TDbContext> dispatcher) : OutboxSendContext
    where TDbContext : DbContext
{
    public IRequestClient<T> Create<T>(RequestTimeout timeout = default) where T : class
    {
        var bus = services.GetRequiredService<IBus>();
        var context = services.GetRequiredService<IClientFactory>().Context;
        var publish = new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));
        return new RequestClient<T>(context, new OutboxRequestSendEndpoint<T>(publish), timeout == default ? context.DefaultTimeout : timeout);
    }

    public async Task AddSend<T>(SendContext<T> context) where T : class
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var capture = new OutboxCapture(db, dispatcher);
        await capture.AddSend(context);
        await using (var transaction = await SagaLocking.For(db).BeginAsync(db, context.CancellationToken))
        {
            await db.SaveChangesAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }
        capture.Committed();
    }

    public object? GetService(Type serviceType) => services.GetService(serviceType);
}

/// <summary>
/// A request client's send, published through an outbox publish endpoint. (MassTransit's own publish request endpoint
/// sends on the transport directly, whatever publish endpoint provider it is given.)
/// </summary>
internal sealed class OutboxRequestSendEndpoint<TRequest>(IPublishEndpoint outbox) : IRequestSendEndpoint<TRequest> where TRequest : class
{
    public async Task<TRequest> Send(Guid requestId, object values, IPipe<SendContext<TRequest>> pipe, CancellationToken cancellationToken)
    {
        var (message, sendPipe) = await MessageInitializerCache<TRequest>.InitializeMessage(values, pipe, cancellationToken);
        await Send(requestId, message, sendPipe, cancellationToken);
        return message;
    }

    public Task Send(Guid requestId, TRequest message, IPipe<SendContext<TRequest>> pipe, CancellationToken cancellationToken) =>
        outbox.Publish(message, Pipe.ExecuteAsync<PublishContext<TRequest>>(context => pipe.Send(context)), cancellationToken);
}
