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

/// <summary>
/// dictionary → prompt → engine → clean, behind the (text, engine, model, prompt version) cache (in process, then
/// shared). Force skips the lookups, not the store.
/// </summary>
public sealed class TitleTranslator(TranslationEngine engine, TermDictionary dictionary, TranslationCache cache, IOptions<TranslatorOptions> options)
{
    public async Task<TranslationOutcome> TranslateAsync(string text, bool force, CancellationToken ct)
    {
        var input = (text ?? "").Trim();
        if (input.Length == 0) return new(null, "nothing to translate: the title is empty", false);
        var key = new TranslationKey(input, engine.Name, engine.Engine.Model, options.Value.PromptVersion);
        try
        {
            if (force)
            {
                var translation = await TranslateAsync(input, ct);
                await cache.SetAsync(key, translation, ct);
                return new(translation, null, false);
            }
            var translated = false;
            var answer = await cache.GetOrTranslateAsync(key, async token =>
            {
                translated = true;
                return await TranslateAsync(input, token);
            }, ct);
            return new(answer, null, !translated);
        }
        catch (TranslationFailedException ex)
        {
            return new(null, ex.Message, false);
        }
    }

    private async Task<string> TranslateAsync(string input, CancellationToken ct)
    {
        if (await engine.CheckAvailabilityAsync(ct) is { } problem) throw new TranslationFailedException(problem);
        var prompt = PromptBuilder.Build(engine.Engine.PromptTemplate ?? options.Value.PromptTemplate, dictionary.Apply(input), engine.Engine.Json);
        return await engine.CompleteAsync(prompt, TitleCleaner.Clean, ct);
    }
}
