using System.Diagnostics.Metrics;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Maintenance.Scheduling;

/// <summary>Maintenance's instruments: runs by job, trigger and status, and how long they took.</summary>
public sealed class MaintenanceMetrics
{
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;

    public MaintenanceMetrics(IMeterFactory meters)
    {
        var meter = NasSavMeter.Create(meters);
        _runs = meter.CreateCounter<long>("nassav.maintenance.runs", "{run}",
            "Maintenance job runs that ended on this instance, by job, trigger and status (succeeded, failed, cancelled)");
        _duration = meter.CreateHistogram<double>("nassav.maintenance.run.duration", "s", "One maintenance job run, start to end");
    }

    public void Ended(string job, string trigger, string status, TimeSpan took)
    {
        KeyValuePair<string, object?>[] tags = [new("job", job), new("trigger", trigger), new("status", status)];
        _runs.Add(1, tags);
        _duration.Record(took.TotalSeconds, tags);
    }
}
