using System.ComponentModel.DataAnnotations;

namespace NasSav.Catalog.Lifecycle;

/// <summary>The <c>Lifecycle</c> configuration section (plus <c>Translator:Enabled</c>).</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";

    /// <summary>How long POST /resource waits for the metadata step before answering 202 (below the UI's 30 s).</summary>
    [Range(0.1, 600)]
    public double AddWaitSeconds { get; set; } = 25;

    /// <summary>How long POST /resource/refresh/{avid} waits before answering 202.</summary>
    [Range(0.1, 600)]
    public double RefreshWaitSeconds { get; set; } = 25;

    /// <summary>Add and refresh actions of one POST /resources/batch running at the same time.</summary>
    [Range(1, 64)]
    public int BatchConcurrency { get; set; } = 4;

    /// <summary>Source step (all sources in weight order, with their retries) before the saga gives up.</summary>
    [Range(0.1, 3600)]
    public double SourceTimeoutSeconds { get; set; } = 120;

    /// <summary>Metadata step (metadata sites, cover and avatars).</summary>
    [Range(0.1, 3600)]
    public double MetadataTimeoutSeconds { get; set; } = 120;

    /// <summary>Translation step; on timeout the resource is Ready with translation_status "failed".</summary>
    [Range(0.1, 86400)]
    public double TranslationTimeoutSeconds { get; set; } = 600;

    /// <summary>From <c>Translator:Enabled</c>: when false, titles stay "pending" and nothing is sent.</summary>
    public bool TranslatorEnabled { get; set; }

    public TimeSpan SourceTimeout => TimeSpan.FromSeconds(SourceTimeoutSeconds);
    public TimeSpan MetadataTimeout => TimeSpan.FromSeconds(MetadataTimeoutSeconds);
    public TimeSpan TranslationTimeout => TimeSpan.FromSeconds(TranslationTimeoutSeconds);
    public TimeSpan AddWait => TimeSpan.FromSeconds(AddWaitSeconds);
    public TimeSpan RefreshWait => TimeSpan.FromSeconds(RefreshWaitSeconds);

    /// <summary><c>Lifecycle:Watchdog</c>: finding stuck and failed lifecycles and rows without metadata, and resuming them.</summary>
    public LifecycleWatchdogOptions Watchdog { get; set; } = new();
}

public sealed class LifecycleWatchdogOptions
{
    /// <summary>Look for problems every <see cref="IntervalSeconds"/> (the API and the maintenance check work either way).</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 86400)]
    public double IntervalSeconds { get; set; } = 60;

    /// <summary>Resume what can be resumed without asking: overdue steps, faults and timeouts (502/504), rows the metadata step never completed.</summary>
    public bool AutoRepair { get; set; } = true;

    /// <summary>Automatic resumes per lifecycle until a run succeeds; past this only an operator's repair resumes it.</summary>
    [Range(0, 100)]
    public int MaxAutoRepairs { get; set; } = 3;

    /// <summary>How long past its deadline a step must be to count as stuck (its own timeout normally ends it first).</summary>
    [Range(0, 86400)]
    public double GraceSeconds { get; set; } = 30;

    /// <summary>Wait at least this long after a resume before resuming the same lifecycle again automatically.</summary>
    [Range(0, 86400)]
    public double RetryAfterSeconds { get; set; } = 300;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
    public TimeSpan Grace => TimeSpan.FromSeconds(GraceSeconds);
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(RetryAfterSeconds);
}
