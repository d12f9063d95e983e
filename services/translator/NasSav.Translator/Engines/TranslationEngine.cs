using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Translator.RateLimiting;

namespace NasSav.Translator.Engines;

/// <summary>Why a translation did not happen; the message is the Reason of TitleTranslationFailed.</summary>
public sealed class TranslationFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The active engine (an <see cref="IChatClient"/> from <see cref="LlmClient"/>) with its policies: availability checked before a call (cached briefly, never only at
/// start), the engine's rate limit (shared by all instances on Redis; requests over the limit wait, they do not fail), a per-attempt
/// timeout and retries with exponential backoff on timeouts, connection errors, 5xx/429 and empty answers.
/// </summary>
public sealed class TranslationEngine : IDisposable
{
    private readonly LlmClient _client;
    private readonly ChatOptions _chatOptions;
    private readonly TranslatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TranslationEngine> _logger;
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private (DateTimeOffset At, string? Problem)? _lastProbe;

    public TranslationEngine(IHttpClientFactory httpFactory, IOptions<TranslatorOptions> options, ITranslationRateLimiter limiter,
        TimeProvider time, ILogger<TranslationEngine> logger)
    {
        _options = options.Value;
        Engine = _options.ActiveEngine ?? throw new InvalidOperationException("Translator:Active names no engine");
        Name = _options.Active!;
        _client = LlmClient.Create(httpFactory.CreateClient(HttpClientName), Engine);
        _chatOptions = new ChatOptions
        {
            ModelId = Engine.Model,
            Temperature = (float)Engine.Temperature,
            ResponseFormat = Engine.Json ? ChatResponseFormat.Json : null,
        };
        Limiter = limiter;
        _time = time;
        _logger = logger;
    }

    public const string HttpClientName = "translator-llm";

    public string Name { get; }
    public EngineOptions Engine { get; }
    public ITranslationRateLimiter Limiter { get; }

    /// <summary>Null when available; else why not. Probed at most once per Translator:AvailabilityCacheSeconds.</summary>
    public async Task<string?> CheckAvailabilityAsync(CancellationToken ct)
    {
        var cached = _lastProbe;
        if (cached is { } c && _time.GetUtcNow() - c.At < TimeSpan.FromSeconds(_options.AvailabilityCacheSeconds)) return c.Problem;
        await _probeGate.WaitAsync(ct);
        try
        {
            cached = _lastProbe;
            if (cached is { } c2 && _time.GetUtcNow() - c2.At < TimeSpan.FromSeconds(_options.AvailabilityCacheSeconds)) return c2.Problem;
            string? problem;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.AvailabilityTimeoutSeconds));
            try
            {
                problem = _client.ModelProblem(await _client.ListModelsAsync(timeout.Token));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                problem = $"no answer within {_options.AvailabilityTimeoutSeconds}s";
            }
            catch (Exception ex) when (LlmFailure.From(ex) is { } failure)
            {
                problem = failure.Problem;
            }
            if (problem is not null) problem = $"engine '{Name}' ({Engine.Type} {Engine.Url}, model {Engine.Model}) is unavailable: {problem}";
            _lastProbe = (_time.GetUtcNow(), problem);
            return problem;
        }
        finally
        {
            _probeGate.Release();
        }
    }

    /// <summary>Forget the last probe (after a failed call, the next translation probes again).</summary>
    public void InvalidateAvailability() => _lastProbe = null;

    /// <summary>The raw answer (not yet cleaned), or <see cref="TranslationFailedException"/>.</summary>
    public async Task<string> CompleteAsync(string prompt, Func<string, string>? clean, CancellationToken ct)
    {
        var attempts = Math.Max(1, Engine.MaxRetries);
        string? lastProblem = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromMilliseconds(Engine.RetryDelayMs * Math.Pow(2, attempt - 2)), _time, ct);
            await Limiter.WaitTurnAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(Engine.TimeoutSeconds));
            try
            {
                var response = await _client.Chat.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], _chatOptions, timeout.Token);
                var answer = TranslationAnswer.Extract(response.Text);
                var cleaned = clean is null ? answer.Trim() : clean(answer);
                if (cleaned.Length > 0) return cleaned;
                lastProblem = "empty answer" + (answer.Trim().Length > 0 ? " after cleaning" : "");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastProblem = $"timeout after {Engine.TimeoutSeconds}s";
            }
            catch (Exception ex) when (LlmFailure.From(ex) is { } failure)
            {
                if (!failure.Transient)
                    throw new TranslationFailedException($"engine '{Name}' refused the request: {failure.Problem}", ex);
                lastProblem = failure.Problem;
                if (failure.ConnectionFailed) InvalidateAvailability();
            }
            _logger.LogWarning("Translation attempt {Attempt}/{Attempts} on {Engine} failed: {Problem}", attempt, attempts, Name, lastProblem);
        }
        throw new TranslationFailedException($"engine '{Name}' ({Engine.Model}): {lastProblem} ({attempts} attempts)");
    }

    public void Dispose()
    {
        _client.Dispose();
        _probeGate.Dispose();
    }
}
