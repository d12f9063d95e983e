namespace NasSav.Sagas.Tests.TestSaga;

// The test saga's contract: an order that is submitted, counted, annotated, notified and completed.
public sealed record SubmitOrder(Guid OrderId, string Customer);
public sealed record OrderAccepted(Guid OrderId, string Customer);
public sealed record CountOrder(Guid OrderId);
/// <summary>Text null makes the note row fail at SaveChanges (NOT NULL), after the saga has published.</summary>
public sealed record RecordNote(Guid OrderId, string? Text, bool FailInActivity = false);
public sealed record NoteRecorded(Guid OrderId, string? Text);
/// <summary>Correlated by customer, not by id: goes through the repository's query path.</summary>
public sealed record NotifyCustomer(string Customer);
public sealed record CompleteOrder(Guid OrderId);
/// <summary>Schedules an <see cref="OrderReminder"/> after <paramref name="DelaySeconds"/>.</summary>
public sealed record ArmReminder(Guid OrderId, double DelaySeconds);
/// <summary>Cancels the reminder; with <paramref name="FailAfterwards"/> the message then fails (its transaction rolls back).</summary>
public sealed record DisarmReminder(Guid OrderId, bool FailAfterwards = false);
public sealed record OrderReminder(Guid OrderId);
