using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace NasSav.Testing;

/// <summary>
/// Records what one container's instruments measure: only meters created by <paramref name="factory"/> (its
/// IMeterFactory), so other hosts in the same test process do not add to the counts.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MeterRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in tags) copy[k] = v;
        _measurements.Enqueue((instrument.Name, value, copy));
    }

    /// <summary>Every measurement of <paramref name="instrument"/> whose tags include all of <paramref name="tags"/>.</summary>
    public IReadOnlyList<double> Values(string instrument, params (string Key, object? Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
            .Select(m => m.Value).ToList();

    public double Sum(string instrument, params (string Key, object? Value)[] tags) => Values(instrument, tags).Sum();

    public void Dispose() => _listener.Dispose();
}
