using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Sagas.Outbox;

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
/// Requests written to the outbox of <typeparamref name="TDbContext"/> (committed on their own) before the wait for the
/// answer starts. Once <see cref="GetResponseAsync{TRequest,TResponse}"/> is past the write the request is durable: a
/// broker that is down delays it, it does not lose it, so a timeout ("still running", 202) never hides a request that
/// was lost on the way; a database that is down fails the call with the database's error instead.
/// </summary>
public sealed class DurableRequests<TDbContext>(IServiceProvider services, OutboxDispatcher<TDbContext> dispatcher) : OutboxSendContext
    where TDbContext : DbContext
{
    /// <summary>
    /// Publishes <paramref name="request"/> as a request and waits up to <paramref name="wait"/> after its commit for a
    /// <typeparamref name="TResponse"/> or a fault. Throws MassTransit's <see cref="RequestTimeoutException"/> and
    /// <see cref="RequestFaultException"/> like a request client. <paramref name="timeToLive"/>: how long the request
    /// may still be delivered (an outage longer than that drops it unsent); none by default.
    /// </summary>
    public async Task<TResponse> GetResponseAsync<TRequest, TResponse>(TRequest request, TimeSpan wait, CancellationToken ct,
        TimeSpan? timeToLive = null)
        where TRequest : class
        where TResponse : class
    {
        var bus = services.GetRequiredService<IBus>();
        var clients = services.GetRequiredService<IClientFactory>().Context;
        var requestId = NewId.NextGuid();
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var responses = clients.ConnectRequestPipe(requestId, Pipe.Execute<ConsumeContext<TResponse>>(c => answer.TrySetResult(c.Message)));
        using var faults = clients.ConnectRequestPipe(requestId, Pipe.Execute<ConsumeContext<Fault<TRequest>>>(c => answer.TrySetResult(c.Message)));

        var outbox = new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));
        await outbox.Publish(request, Pipe.Execute<PublishContext<TRequest>>(c =>
        {
            c.RequestId = requestId;
            c.ResponseAddress = clients.ResponseAddress;
            c.FaultAddress = clients.ResponseAddress;
            c.TimeToLive = timeToLive;
        }), ct);

        object result;
        try
        {
            result = await answer.Task.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            throw new RequestTimeoutException(requestId.ToString());
        }
        return result is Fault<TRequest> fault ? throw new RequestFaultException(typeof(TRequest).Name, fault) : (TResponse)result;
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
