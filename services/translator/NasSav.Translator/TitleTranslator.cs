using System.Diagnostics;
using Microsoft.Extensions.Options;
using NasSav.Translator.Caching;
using NasSav.Translator.Cleaning;
using NasSav.Translator.Dictionary;
using NasSav.Translator.Engines;
using NasSav.Translator.Prompts;

namespace NasSav.Translator;

public sealed record TranslationOutcome(string? Translation, string? FailureReason, bool FromCache)
{
    public bool Succeeded => Translation is not null;
}

/// <summary>dictionary → prompt → engine → clean, behind the (text, engine, model, prompt version) cache: in process, then shared. Force skips the lookups, not the store.</summary>
public sealed class TitleTranslator(TranslationEngine engine, TermDictionary dictionary, TwoLevelTranslationCache cache, IOptions<TranslatorOptions> options,
    TranslatorMetrics metrics)
{
    public async Task<TranslationOutcome> TranslateAsync(string text, bool force, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await TranslateOnceAsync(text, force, ct);
        metrics.Translated(engine.Name, outcome, Stopwatch.GetElapsedTime(started));
        return outcome;
    }

    private async Task<TranslationOutcome> TranslateOnceAsync(string text, bool force, CancellationToken ct)
    {
        var input = (text ?? "").Trim();
        if (input.Length == 0) return new(null, "nothing to translate: the title is empty", false);
        var key = new TranslationKey(input, engine.Name, engine.Engine.Model, options.Value.PromptVersion);
        if (!force && await cache.GetAsync(key, ct) is { } cached) return new(cached, null, true);

        var problem = await engine.CheckAvailabilityAsync(ct);
        if (problem is not null) return new(null, problem, false);

        var prompt = PromptBuilder.Build(engine.Engine.PromptTemplate ?? options.Value.PromptTemplate, dictionary.Apply(input), engine.Engine.Json);
        try
        {
            var translation = await engine.CompleteAsync(prompt, TitleCleaner.Clean, ct);
            await cache.SetAsync(key, translation, ct);
            return new(translation, null, false);
        }
        catch (TranslationFailedException ex)
        {
            return new(null, ex.Message, false);
        }
    }
}
