namespace NasSav.Translator.RateLimiting;

/// <summary>
/// The active engine's request rate (RequestsPerMinute, Burst): every LLM request waits its turn here.
/// Requests over the limit wait, oldest first; they do not fail.
/// </summary>
public interface ITranslationRateLimiter
{
    /// <summary>Returns when one request may be sent; cancellable while waiting.</summary>
    ValueTask WaitTurnAsync(CancellationToken ct);
}
