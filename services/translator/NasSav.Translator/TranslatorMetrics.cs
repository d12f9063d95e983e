using System.Diagnostics.Metrics;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Translator;

/// <summary>The translator's instruments: titles translated (or answered from the cache, or failed) and how long each took.</summary>
public sealed class TranslatorMetrics
{
    private readonly Counter<long> _translations;
    private readonly Histogram<double> _duration;

    public TranslatorMetrics(IMeterFactory meters)
    {
        var meter = NasSavMeter.Create(meters);
        _translations = meter.CreateCounter<long>("nassav.translations", "{translation}",
            "Title translations by engine and outcome (translated, cached, failed)");
        _duration = meter.CreateHistogram<double>("nassav.translation.duration", "s",
            "One title translation, cache lookups, rate-limit wait and LLM retries included");
    }

    public void Translated(string engine, TranslationOutcome outcome, TimeSpan took)
    {
        KeyValuePair<string, object?>[] tags =
            [new("engine", engine), new("outcome", !outcome.Succeeded ? "failed" : outcome.FromCache ? "cached" : "translated")];
        _translations.Add(1, tags);
        _duration.Record(took.TotalSeconds, tags);
    }
}
