namespace NasSav.Translator;

/// <summary>The <c>Translator:</c> section, see docs/translator.md.</summary>
public sealed class TranslatorOptions
{
    public const string Section = "Translator";

    /// <summary>The reference's "template config" prompt (nassav-api.md §5).</summary>
    public const string DefaultPromptTemplate =
        "你是专业的日语-中文翻译专家。请将以下日语标题翻译成简体中文。\n\n翻译规则：1)保留人名不翻译 2)保留番号和系列名 3)使用自然流畅的中文 4)保持原文情境 5)只返回翻译结果\n\n日语标题：{text}\n\n中文翻译：";

    public static readonly string DefaultDictionaryFile = Path.Combine(AppContext.BaseDirectory, "Dictionary", "terms.yaml");

    public bool Enabled { get; set; }
    /// <summary>Name of the active engine: a key of <see cref="Engines"/>, or NASSAV's <c>Translator:{active}</c> block.</summary>
    public string? Active { get; set; }
    public Dictionary<string, EngineOptions> Engines { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>YAML or JSON map Japanese → Chinese; empty = no dictionary.</summary>
    public string? DictionaryFile { get; set; } = DefaultDictionaryFile;
    public string PromptTemplate { get; set; } = DefaultPromptTemplate;
    /// <summary>Part of the cache key: bump it when the prompt or cleaning changes meaningfully.</summary>
    public string PromptVersion { get; set; } = "1";
    public int ConcurrentMessageLimit { get; set; } = 2;
    /// <summary>Hours a translation stays in the in-process level of the cache.</summary>
    public double LocalCacheHours { get; set; } = 24;
    /// <summary>Days a translation stays in the shared level of the cache (Redis, when configured); 0 = in process only.</summary>
    public double SharedCacheDays { get; set; } = 30;
    /// <summary>Prefix of the translator's Redis keys: {prefix}rate:{engine} (shared rate limit), {prefix}cache:{hash}.</summary>
    public string RedisKeyPrefix { get; set; } = "nassav:translator:";
    /// <summary>How long an availability probe result is reused.</summary>
    public double AvailabilityCacheSeconds { get; set; } = 15;
    /// <summary>Timeout of the availability probe (GET /api/tags or /v1/models).</summary>
    public double AvailabilityTimeoutSeconds { get; set; } = 5;
    /// <summary>Test knob: false = the rate limiter's tokens come back only when a test calls Replenish.</summary>
    public bool RateLimitAutoReplenish { get; set; } = true;

    /// <summary>The engine named by <see cref="Active"/> (after the NASSAV form was folded in).</summary>
    public EngineOptions? ActiveEngine =>
        Active is not null && Engines.TryGetValue(Active, out var engine) ? engine : null;

    public static IEnumerable<string?> Validate(TranslatorOptions o)
    {
        if (o.ConcurrentMessageLimit < 1) yield return "ConcurrentMessageLimit: must be at least 1";
        if (o.LocalCacheHours <= 0) yield return "LocalCacheHours: must be positive";
        if (o.SharedCacheDays < 0) yield return "SharedCacheDays: must not be negative";
        if (string.IsNullOrWhiteSpace(o.RedisKeyPrefix)) yield return "RedisKeyPrefix: must not be empty";
        if (!o.PromptTemplate.Contains("{text}", StringComparison.Ordinal)) yield return "PromptTemplate: must contain {text}";
        if (string.IsNullOrWhiteSpace(o.PromptVersion)) yield return "PromptVersion: must not be empty";
        if (!o.Enabled) yield break;
        if (!string.IsNullOrWhiteSpace(o.DictionaryFile) && !File.Exists(o.DictionaryFile))
            yield return $"DictionaryFile: '{o.DictionaryFile}' does not exist";
        if (string.IsNullOrWhiteSpace(o.Active)) { yield return "Active: required when Translator:Enabled is true (name of an engine)"; yield break; }
        if (o.ActiveEngine is null)
        {
            yield return $"Active: '{o.Active}' names no engine (define Translator:Engines:{o.Active} or NASSAV's Translator:{o.Active} block)";
            yield break;
        }
        foreach (var (name, e) in o.Engines)
        {
            var key = $"Engines:{name}";
            if (e.Type is not ("ollama" or "openai")) yield return $"{key}:Type: '{e.Type}' is not one of ollama, openai";
            if (!Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                yield return $"{key}:Url: '{e.Url}' is not an absolute http(s) URL";
            if (string.IsNullOrWhiteSpace(e.Model)) yield return $"{key}:Model: required";
            if (e.TimeoutSeconds <= 0) yield return $"{key}:TimeoutSeconds: must be positive";
            if (e.MaxRetries < 1) yield return $"{key}:MaxRetries: must be at least 1 (total attempts)";
            if (e.RequestsPerMinute <= 0) yield return $"{key}:RequestsPerMinute: must be positive";
            if (e.Burst < 1) yield return $"{key}:Burst: must be at least 1";
            if (e.RetryDelayMs < 0) yield return $"{key}:RetryDelayMs: must not be negative";
            if (e.PromptTemplate is not null && !e.PromptTemplate.Contains("{text}", StringComparison.Ordinal))
                yield return $"{key}:PromptTemplate: must contain {{text}}";
        }
    }
}

/// <summary>One engine (<c>Translator:Engines:{name}</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>ollama (native /api/chat) or openai (any OpenAI-compatible /v1/chat/completions).</summary>
    public string Type { get; set; } = "ollama";
    public string Url { get; set; } = "http://localhost:11434";
    public string Model { get; set; } = "";
    public string? ApiKey { get; set; }
    public double TimeoutSeconds { get; set; } = 30;
    /// <summary>Total attempts per translation, as NASSAV's max_retries (timeouts, 5xx, 429, empty answers).</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>First backoff delay; doubles on each retry.</summary>
    public int RetryDelayMs { get; set; } = 500;
    /// <summary>For the whole cluster when Redis is configured (else per instance); requests over the limit wait.</summary>
    public double RequestsPerMinute { get; set; } = 60;
    /// <summary>Requests allowed back to back before the rate applies.</summary>
    public int Burst { get; set; } = 1;
    public double Temperature { get; set; }
    /// <summary>Ask for {"translation": "..."} (Ollama format=json, OpenAI response_format json_object); plain text is accepted anyway.</summary>
    public bool Json { get; set; } = true;
    /// <summary>Overrides Translator:PromptTemplate for this engine (NASSAV's prompt_template).</summary>
    public string? PromptTemplate { get; set; }
}
