using MassTransit;

namespace NasSav.Sagas.Tests.TestSaga;

public sealed class OrderState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string? Customer { get; set; }
    public int Counter { get; set; }
    public int Notes { get; set; }
    public int Notices { get; set; }
    public int Version { get; set; }
    /// <summary>Messages that committed only on a retry (a lock or version conflict made an earlier attempt fail).</summary>
    public int Retried { get; set; }
    /// <summary>Token of the scheduled <see cref="OrderReminder"/>.</summary>
    public Guid? ReminderTokenId { get; set; }
    /// <summary>Reminders received.</summary>
    public int Reminded { get; set; }
}

/// <summary>Another entity of the same DbContext, written by a saga activity.</summary>
public sealed class OrderNote
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public string Text { get; set; } = "";
}
