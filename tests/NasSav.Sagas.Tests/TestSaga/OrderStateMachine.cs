using MassTransit;
using NasSav.Sagas;

namespace NasSav.Sagas.Tests.TestSaga;

public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public State Submitted { get; private set; } = null!;

    public Event<SubmitOrder> Submit { get; private set; } = null!;
    public Event<CountOrder> Count { get; private set; } = null!;
    public Event<RecordNote> Note { get; private set; } = null!;
    public Event<NotifyCustomer> Notify { get; private set; } = null!;
    public Event<CompleteOrder> Complete { get; private set; } = null!;
    public Event<ArmReminder> Arm { get; private set; } = null!;
    public Event<DisarmReminder> Disarm { get; private set; } = null!;

    /// <summary>Scheduled through the endpoint's scheduler: the EF outbox's durable one.</summary>
    public Schedule<OrderState, OrderReminder> Reminder { get; private set; } = null!;

    public OrderStateMachine(OrderMachineOptions? options = null)
    {
        InstanceState(x => x.CurrentState);
        // Pre-insert: the repository's Insert path (a losing insert falls back to loading the winner's row).
        var insertOnInitial = options?.InsertOnInitial ?? false;

        Event(() => Submit, e =>
        {
            e.CorrelateById(m => m.Message.OrderId);
            e.InsertOnInitial = insertOnInitial;
        });
        Event(() => Count, e =>
        {
            e.CorrelateById(m => m.Message.OrderId);
            e.InsertOnInitial = insertOnInitial;
        });
        Event(() => Note, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => Complete, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => Arm, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => Disarm, e => e.CorrelateById(m => m.Message.OrderId));
        Schedule(() => Reminder, x => x.ReminderTokenId, s =>
        {
            s.Delay = TimeSpan.FromSeconds(1);
            s.Received = r => r.CorrelateById(m => m.Message.OrderId);
        });
        Event(() => Notify, e =>
        {
            e.CorrelateBy((saga, m) => saga.Customer == m.Message.Customer);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Submit)
                .Then(c => c.Saga.Customer = c.Message.Customer)
                .TransitionTo(Submitted)
                .Publish(c => new OrderAccepted(c.Saga.CorrelationId, c.Message.Customer)),
            // A counter that may also be the first message: concurrent first messages race to create.
            When(Count)
                .ThenAsync(async c =>
                {
                    await Task.Yield();
                    c.Saga.Counter++;
                })
                .TransitionTo(Submitted));

        During(Submitted,
            Ignore(Submit),
            When(Count)
                .ThenAsync(async c =>
                {
                    // Give the thread back between read and write, as real activities do (SQLite's "async" is
                    // synchronous: without this the in-memory transport would run these messages one by one).
                    await Task.Yield();
                    c.Saga.Counter++;
                    if (c.GetRetryAttempt() > 0) c.Saga.Retried++;
                }),
            When(Note)
                .Then(c => c.Saga.Notes++)
                // Published before the activity writes: must not leave if the transaction does not commit.
                .Publish(c => new NoteRecorded(c.Saga.CorrelationId, c.Message.Text))
                .Activity(x => x.OfType<RecordNoteActivity>()),
            When(Notify)
                .Then(c => c.Saga.Notices++),
            When(Arm)
                .Schedule(Reminder, c => new OrderReminder(c.Saga.CorrelationId), c => TimeSpan.FromSeconds(c.Message.DelaySeconds)),
            When(Disarm)
                .Unschedule(Reminder)
                .Then(c =>
                {
                    if (c.Message.FailAfterwards) throw new InvalidOperationException("failed after cancelling the reminder");
                }),
            When(Reminder.Received)
                .Then(c => c.Saga.Reminded++),
            When(Complete)
                .Finalize());

        SetCompletedWhenFinalized();
    }
}

public sealed record OrderMachineOptions(bool InsertOnInitial);

/// <summary>Writes an <see cref="OrderNote"/> through the message's scoped DbContext (the repository's own).</summary>
public sealed class RecordNoteActivity(SagaTestDbContext db) : IStateMachineActivity<OrderState, RecordNote>
{
    public void Probe(ProbeContext context) => context.CreateScope("record-note");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);

    public async Task Execute(BehaviorContext<OrderState, RecordNote> context, IBehavior<OrderState, RecordNote> next)
    {
        db.Notes.Add(new OrderNote { Id = Guid.NewGuid(), OrderId = context.Saga.CorrelationId, Text = context.Message.Text! });
        if (context.Message.FailInActivity) throw new InvalidOperationException("the activity failed after writing a note");
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<OrderState, RecordNote, TException> context, IBehavior<OrderState, RecordNote> next)
        where TException : Exception => next.Faulted(context);
}

/// <summary>The production pattern (retry on conflicts + the EF outbox) with room for real concurrency.</summary>
public sealed class OrderStateDefinition : EfSagaDefinition<OrderState, SagaTestDbContext>
{
    public OrderStateDefinition()
    {
        Endpoint(e =>
        {
            e.PrefetchCount = 32;
            e.ConcurrentMessageLimit = 16;
        });
    }
}
