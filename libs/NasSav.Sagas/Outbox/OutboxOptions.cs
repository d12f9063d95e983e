using System.ComponentModel.DataAnnotations;

namespace NasSav.Sagas.Outbox;

/// <summary>The <c>Outbox</c> configuration section: delivery of committed messages and the inbox's memory.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often a dispatcher looks for rows that are due (scheduled messages, retries, rows another instance left).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed row is left to its dispatcher before another one may send it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One delivery attempt (the broker taking one message) before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Rows claimed at a time.</summary>
    [Range(1, 10000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Wait after a failed delivery, doubled per failure up to <see cref="RetryMaxDelay"/>; never given up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMinDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long consumed message ids are remembered (a redelivery later than this runs again).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Name of this dispatcher in <c>locked_by</c>; default host:pid:random (a restarted process is a new owner).</summary>
    public string? InstanceName { get; set; }
}
