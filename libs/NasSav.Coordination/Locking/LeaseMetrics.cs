using System.Diagnostics.Metrics;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Coordination.Locking;

/// <summary>The lease lock's instruments: how long contenders wait for a lease, and how long holders keep it.</summary>
public sealed class LeaseMetrics
{
    private readonly Histogram<double> _wait;
    private readonly Histogram<double> _hold;

    public LeaseMetrics(IMeterFactory meters)
    {
        var meter = NasSavMeter.Create(meters);
        _wait = meter.CreateHistogram<double>("nassav.lease.wait.duration", "s",
            "From asking for a lease to holding it (outcome acquired), or to giving up (cancelled)");
        _hold = meter.CreateHistogram<double>("nassav.lease.hold.duration", "s",
            "How long a lease was held, until released or lost (its renewals failed, or someone force-released it)");
    }

    public void Waited(string lease, bool acquired, TimeSpan waited) =>
        _wait.Record(waited.TotalSeconds, new("lease", lease), new("outcome", acquired ? "acquired" : "cancelled"));

    public void Held(string lease, bool lost, TimeSpan held) =>
        _hold.Record(held.TotalSeconds, new("lease", lease), new("end", lost ? "lost" : "released"));
}
