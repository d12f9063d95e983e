using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using NasSav.Translator.Engines;

namespace NasSav.Translator.RateLimiting;

/// <summary>
/// The in-process token bucket of the active engine (standalone host, and the fallback of the Redis limiter):
/// Burst tokens, one more every 60/RequestsPerMinute seconds; waiting requests are served oldest first. Tests
/// turn automatic replenishment off (Translator:RateLimitAutoReplenish): tokens are then added, for the time
/// elapsed, only when <see cref="Replenish"/> is called.
/// </summary>
public sealed class TranslatorRateLimiter : ITranslationRateLimiter, IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;
    private readonly string _engine;

    public TranslatorRateLimiter(IOptions<TranslatorOptions> options)
    {
        var engine = options.Value.ActiveEngine ?? new EngineOptions();
        _engine = options.Value.Active ?? "";
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, engine.Burst),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1 / Math.Max(0.001, engine.RequestsPerMinute)),
            AutoReplenishment = options.Value.RateLimitAutoReplenish,
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public async ValueTask WaitTurnAsync(CancellationToken ct)
    {
        using var lease = await _limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired) throw new TranslationFailedException($"rate limiter queue of engine '{_engine}' is full");
    }

    public bool Replenish() => _limiter.TryReplenish();
    public RateLimiterStatistics? Statistics => _limiter.GetStatistics();
    public void Dispose() => _limiter.Dispose();
}
