using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;

namespace NasSav.Sagas.Outbox;

/// <summary>
/// The consume context a consumer (or saga) sees behind <see cref="EfOutboxConsumeFilter{TDbContext,TMessage}"/>:
/// every publish, send and respond becomes an outbox row in the message's transaction (MassTransit's outbox
/// receive context routes them to <see cref="AddSend{T}"/>).
/// </summary>
internal sealed class EfOutboxConsumeContext<TMessage> : ConsumeContextProxy<TMessage>, OutboxSendContext
    where TMessage : class
{
    private readonly ConsumeContext<TMessage> _original;
    private readonly IServiceProvider _provider;

    public EfOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxCapture capture, IServiceProvider provider)
        : base(context)
    {
        _original = context;
        _provider = provider;
        Capture = capture;
        var receive = new OutboxReceiveContext(this, context.ReceiveContext);
        ReceiveContext = receive;
        PublishEndpointProvider = receive.PublishEndpointProvider;
    }

    public OutboxCapture Capture { get; }

    public Task AddSend<T>(SendContext<T> context) where T : class => Capture.AddSend(context);

    public object? GetService(Type serviceType) => _provider.GetService(serviceType);

    /// <summary>
    /// A fault leaves through the real bus, not the outbox: the attempt's transaction is rolled back, and the
    /// requester (or the fault's subscribers) must still hear of it. MassTransit's retry decides whether this
    /// attempt's fault is the one that counts.
    /// </summary>
    public override Task NotifyFaulted<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) =>
        _original is ConsumeContext<T> original
            ? original.NotifyFaulted(original, duration, consumerType, exception)
            : base.NotifyFaulted(context, duration, consumerType, exception);
}
