using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NasSav.Testing.FakeLlm;
using NasSav.Translator.Engines;
using NasSav.Translator.Prompts;

namespace NasSav.Translator.Tests;

/// <summary>Both protocols against the fake LLM server over real HTTP.</summary>
public sealed class EngineTests : IAsyncLifetime
{
    private FakeLlmServer _llm = null!;

    public async Task InitializeAsync() => _llm = await FakeLlmServer.StartAsync();
    public async Task DisposeAsync() => await _llm.DisposeAsync();

    private Translating Start(string type = "ollama", params (string, string?)[] extra) => new(Translating.Config(_llm, type, extra));

    [Theory]
    [InlineData("ollama", "/api/chat")]
    [InlineData("openai", "/v1/chat/completions")]
    public async Task Json_answers_are_unwrapped_and_the_request_is_the_documented_one(string type, string path)
    {
        using var t = Start(type);
        var outcome = await t.Translator.TranslateAsync("美少女{x}", force: false, CancellationToken.None);

        Assert.Equal("译:}x{女少美", outcome.Translation);
        var request = Assert.Single(_llm.Completions);
        Assert.Equal(path, request.Path);
        Assert.Equal("qwen2.5:7b", request.Model);
        Assert.Equal(0.0, request.Temperature);
        Assert.True(request.AskedForJson);
        Assert.False(request.Streamed);
        Assert.True(request.HasValidMessages);
        Assert.Equal(PromptBuilder.Build(TranslatorOptions.DefaultPromptTemplate, "美少女{x}", json: true), request.Prompt);
        Assert.Contains("日语标题：美少女{x}\n", request.Prompt);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task A_model_ignoring_json_is_read_as_plain_text(string type)
    {
        _llm.AnswerJson = false;
        using var t = Start(type);
        Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
        Assert.False(Assert.Single(_llm.Completions).Prompt!.Contains("译:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task Json_can_be_turned_off_per_engine(string type)
    {
        using var t = Start(type, ("Translator:Engines:fake:Json", "false"));
        Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
        var request = Assert.Single(_llm.Completions);
        Assert.False(request.AskedForJson);
        Assert.DoesNotContain("JSON", request.Prompt);
    }

    [Fact]
    public async Task Openai_sends_the_bearer_key_and_accepts_a_url_with_or_without_v1()
    {
        _llm.RequiredApiKey = "sk-test";
        using (var t = Start("openai", ("Translator:Engines:fake:ApiKey", "sk-test")))
            Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
        using (var t = Start("openai", ("Translator:Engines:fake:ApiKey", "sk-test"), ("Translator:Engines:fake:Url", _llm.Url)))
            Assert.Equal("译:DC", (await t.Translator.TranslateAsync("CD", false, default)).Translation);
        Assert.All(_llm.Completions, r => Assert.Equal("/v1/chat/completions", r.Path));
        Assert.All(_llm.Requests, r => Assert.Equal("Bearer sk-test", r.Authorization));

        using var wrong = Start("openai", ("Translator:Engines:fake:ApiKey", "sk-wrong"));
        var outcome = await wrong.Translator.TranslateAsync("EF", false, default);
        Assert.Null(outcome.Translation);
        Assert.Contains("401", outcome.FailureReason);
    }

    [Fact]
    public async Task A_chatty_answer_is_cleaned()
    {
        _llm.Behaviour = FakeLlmBehaviour.Chatty;
        using var t = Start();
        Assert.Equal("译:女少美", (await t.Translator.TranslateAsync("美少女", false, default)).Translation);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task A_slow_answer_times_out_on_every_attempt_and_the_reason_says_so(string type)
    {
        _llm.Behaviour = FakeLlmBehaviour.Slow;
        using var t = Start(type, ("Translator:Engines:fake:TimeoutSeconds", "0.2"), ("Translator:Engines:fake:MaxRetries", "3"));
        var outcome = await t.Translator.TranslateAsync("AB", false, default);
        Assert.Null(outcome.Translation);
        Assert.Contains("timeout after 0.2s", outcome.FailureReason);
        Assert.Contains("3 attempts", outcome.FailureReason);
        Assert.Equal(3, _llm.Completions.Count);
    }

    [Fact]
    public async Task A_500_is_retried_and_the_next_answer_wins()
    {
        _llm.Next(FakeLlmBehaviour.Error500, FakeLlmBehaviour.Error500);
        using var t = Start();
        Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
        Assert.Equal(3, _llm.Completions.Count);
    }

    [Fact]
    public async Task A_timeout_is_retried_and_the_next_answer_wins()
    {
        _llm.Next(FakeLlmBehaviour.Slow);
        _llm.SlowDelay = TimeSpan.FromMinutes(5);
        using var t = Start(("ollama"), ("Translator:Engines:fake:TimeoutSeconds", "2"));
        Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
        Assert.Equal(2, _llm.Completions.Count);
    }

    [Fact]
    public async Task Only_500s_fail_with_the_status_in_the_reason()
    {
        _llm.Behaviour = FakeLlmBehaviour.Error500;
        using var t = Start("openai", ("Translator:Engines:fake:MaxRetries", "2"));
        var outcome = await t.Translator.TranslateAsync("AB", false, default);
        Assert.Contains("HTTP 500", outcome.FailureReason);
        Assert.Contains("2 attempts", outcome.FailureReason);
        Assert.Equal(2, _llm.Completions.Count);
    }

    [Fact]
    public async Task Empty_answers_are_retried_then_fail()
    {
        _llm.Next(FakeLlmBehaviour.Empty);
        using (var t = Start())
            Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
        Assert.Equal(2, _llm.Completions.Count);

        _llm.ClearRequests();
        _llm.Behaviour = FakeLlmBehaviour.Empty;
        using var t2 = Start();
        var outcome = await t2.Translator.TranslateAsync("AB", false, default);
        Assert.Contains("empty answer", outcome.FailureReason);
        Assert.Equal(3, _llm.Completions.Count);
    }

    [Fact]
    public async Task An_answer_that_cleans_to_nothing_is_an_empty_answer_after_cleaning()
    {
        _llm.Translate = _ => "（注：无法翻译）";
        _llm.AnswerJson = false;
        using var t = Start(("ollama"), ("Translator:Engines:fake:MaxRetries", "1"));
        var outcome = await t.Translator.TranslateAsync("AB", false, default);
        Assert.Equal("engine 'fake' (qwen2.5:7b): empty answer after cleaning (1 attempts)", outcome.FailureReason);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task Down_is_reported_without_calling_the_model_and_recovery_is_seen_without_a_restart(string type)
    {
        _llm.Behaviour = FakeLlmBehaviour.Down;
        using var t = Start(type);
        var outcome = await t.Translator.TranslateAsync("AB", false, default);
        Assert.Contains("engine 'fake'", outcome.FailureReason);
        Assert.Contains("is unavailable", outcome.FailureReason);
        Assert.Empty(_llm.Completions);

        _llm.Behaviour = FakeLlmBehaviour.Normal;
        Assert.Equal("译:BA", (await t.Translator.TranslateAsync("AB", false, default)).Translation);
    }

    [Fact]
    public async Task A_model_that_is_not_pulled_makes_the_engine_unavailable()
    {
        using var t = Start(("ollama"), ("Translator:Engines:fake:Model", "llama3:8b"));
        var problem = await t.Engine.CheckAvailabilityAsync(default);
        Assert.Contains("model 'llama3:8b' is not pulled (server has: qwen2.5:7b)", problem);
    }

    [Fact]
    public async Task Availability_is_cached_for_the_configured_time()
    {
        using var t = Start(("ollama"), ("Translator:AvailabilityCacheSeconds", "3600"));
        Assert.Null(await t.Engine.CheckAvailabilityAsync(default));
        _llm.Behaviour = FakeLlmBehaviour.Down;
        Assert.Null(await t.Engine.CheckAvailabilityAsync(default));
        Assert.Single(_llm.Requests, r => r.Path == "/api/tags");
        t.Engine.InvalidateAvailability();
        Assert.NotNull(await t.Engine.CheckAvailabilityAsync(default));
    }

    [Fact]
    public async Task Health_is_degraded_not_unhealthy_while_the_llm_is_down()
    {
        var config = Translating.Config(_llm);
        using var t = new Translating(config);
        var health = t.Services.GetRequiredService<HealthCheckService>();

        var up = await health.CheckHealthAsync(c => c.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(HealthStatus.Healthy, up.Entries["translator-llm"].Status);

        _llm.Behaviour = FakeLlmBehaviour.Down;
        var down = await health.CheckHealthAsync(c => c.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Degraded, down.Entries["translator-llm"].Status);
        Assert.Contains("is unavailable", down.Entries["translator-llm"].Description);

        _llm.Behaviour = FakeLlmBehaviour.Normal;
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(c => c.Tags.Contains("ready"))).Status);
    }

    [Fact]
    public async Task The_nassav_prompt_template_of_the_engine_is_used()
    {
        using var t = Start(("ollama"), ("Translator:Engines:fake:PromptTemplate", "翻译：{text}"), ("Translator:Engines:fake:Json", "false"));
        await t.Translator.TranslateAsync("義母と息子", false, default);
        Assert.Equal("翻译：继母と息子", Assert.Single(_llm.Completions).Prompt);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task The_fake_streams_to_a_client_that_asks_for_it_as_the_real_servers_do(string type)
    {
        using var t = Start(type);
        using var client = LlmClient.Create(new HttpClient(), t.Engine.Engine);
        var text = "";
        await foreach (var update in client.Chat.GetStreamingResponseAsync("日语标题：AB"))
            text += update.Text;
        Assert.Equal("译:BA", text);
        Assert.True(Assert.Single(_llm.Completions).Streamed);
    }

    [Fact]
    public void ExtractTranslation_falls_back_to_plain_text()
    {
        Assert.Equal("美少女", TranslationAnswer.Extract("""{"translation": " 美少女 "}"""));
        Assert.Equal("美少女", TranslationAnswer.Extract("""{"译文": "美少女"}"""));
        Assert.Equal("{not json}", TranslationAnswer.Extract("{not json}"));
        Assert.Equal("美少女", TranslationAnswer.Extract("美少女\n"));
    }
}
