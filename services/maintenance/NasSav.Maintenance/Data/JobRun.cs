namespace NasSav.Maintenance.Data;

/// <summary>One run of a maintenance job: its claim (a running row), heartbeat, outcome, counts, report and log.</summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public required string Job { get; set; }
    /// <summary>schedule or manual.</summary>
    public required string Trigger { get; set; }
    /// <summary>false: a dry run that only reports.</summary>
    public bool Apply { get; set; }
    public string Status { get; set; } = RunStatus.Running;
    /// <summary>The cron slot a scheduled run was fired for: unique per job, so two instances cannot both run it.</summary>
    public DateTime? ScheduledFor { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
    public DateTime? EndedAt { get; set; }
    /// <summary>The instance that runs it (host name + process).</summary>
    public string Owner { get; set; } = "";
    public string? Message { get; set; }
    /// <summary>JSON object of named counts.</summary>
    public string? Counts { get; set; }
    /// <summary>The job's JSON report.</summary>
    public string? Report { get; set; }
    public string? Log { get; set; }
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    /// <summary>Its instance stopped heart-beating (crashed): the claim was released.</summary>
    public const string Abandoned = "abandoned";
}
