using System.Diagnostics.Metrics;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// The lifecycle's instruments, recorded when the saga handles a step's end (a step retried after a database
/// conflict may count twice). A step starts when the one before it ended, or at the request for the first one.
/// </summary>
public sealed class LifecycleMetrics
{
    public const string Ok = "ok";
    public const string NotFound = "not_found";
    public const string Failed = "failed";
    public const string Timeout = "timeout";

    private readonly Histogram<double> _step;
    private readonly Histogram<double> _run;

    public LifecycleMetrics(IMeterFactory meters)
    {
        var meter = NasSavMeter.Create(meters);
        _step = meter.CreateHistogram<double>("nassav.lifecycle.step.duration", "s",
            "One lifecycle step (source, metadata, translation) from its start to its outcome (ok, not_found, failed, timeout)");
        _run = meter.CreateHistogram<double>("nassav.lifecycle.duration", "s",
            "An add or a refresh from the request to Ready or Failed");
    }

    public void StepEnded(ResourceLifecycle s, string step, string outcome, DateTime now)
    {
        var started = step switch
        {
            LifecycleStepNames.Metadata => s.SourceResolvedAt ?? s.RequestedAt,
            LifecycleStepNames.Translation => s.MetadataCompletedAt ?? s.RequestedAt,
            _ => s.RequestedAt,
        };
        _step.Record(Seconds(started, now), new("step", step), new("outcome", outcome));
    }

    public void Ended(ResourceLifecycle s, bool ready, DateTime now) =>
        _run.Record(Seconds(s.RequestedAt, now), new("kind", s.IsRefresh ? "refresh" : "add"), new("outcome", ready ? "ready" : "failed"));

    private static double Seconds(DateTime from, DateTime to) => Math.Max(0, (to - from).TotalSeconds);
}
