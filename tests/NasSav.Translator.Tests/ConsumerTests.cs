using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Translation;
using NasSav.Testing.FakeLlm;

namespace NasSav.Translator.Tests;

/// <summary>TranslateTitle on MassTransit's test harness with the module's own bus contribution, against the fake LLM.</summary>
public sealed class ConsumerTests : IAsyncLifetime
{
    /// <summary>Bounds a hang only.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private FakeLlmServer _llm = null!;

    public async Task InitializeAsync() => _llm = await FakeLlmServer.StartAsync();
    public async Task DisposeAsync() => await _llm.DisposeAsync();

    private Translating Start(params (string, string?)[] extra) => new(Translating.Config(_llm, "ollama", extra), harness: true);

    private static TranslateTitle Command(string text, bool force = false) =>
        new() { CorrelationId = Guid.NewGuid(), Avid = "ABC-123", Text = text, Force = force };

    [Fact]
    public async Task TranslateTitle_is_answered_with_the_cleaned_translation()
    {
        _llm.Behaviour = FakeLlmBehaviour.Chatty;
        using var t = Start();
        var harness = t.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var command = Command("義母と息子");
            await harness.Bus.Publish(command);
            Assert.True(await harness.Published.Any<TitleTranslated>());
            var translated = harness.Published.Select<TitleTranslated>().Single().Context.Message;
            Assert.Equal(command.CorrelationId, translated.CorrelationId);
            Assert.Equal("ABC-123", translated.Avid);
            Assert.Equal("译:子息と母继", translated.TranslatedTitle); // dictionary applied once, answer cleaned
            Assert.False(await harness.Published.Any<TitleTranslationFailed>());
            Assert.False(await harness.Published.Any<Fault<TranslateTitle>>());
        }
        finally { await harness.Stop(); }
    }

    [Fact]
    public async Task A_down_llm_is_answered_with_TitleTranslationFailed_and_the_reason()
    {
        _llm.Behaviour = FakeLlmBehaviour.Down;
        using var t = Start();
        var harness = t.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var command = Command("美少女");
            await harness.Bus.Publish(command);
            Assert.True(await harness.Published.Any<TitleTranslationFailed>());
            var failed = harness.Published.Select<TitleTranslationFailed>().Single().Context.Message;
            Assert.Equal(command.CorrelationId, failed.CorrelationId);
            Assert.Contains("engine 'fake' (ollama " + _llm.Url + ", model qwen2.5:7b) is unavailable", failed.Reason);
            Assert.False(await harness.Published.Any<TitleTranslated>());
        }
        finally { await harness.Stop(); }
    }

    [Fact]
    public async Task An_unchanged_retranslation_is_served_from_the_cache_unless_forced()
    {
        using var t = Start();
        var harness = t.Services.GetRequiredService<ITestHarness>();
        var consumer = harness.GetConsumerHarness<TranslateTitleConsumer>();
        await harness.Start();
        try
        {
            await harness.Bus.Publish(Command("美少女"));
            Assert.True(await consumer.Consumed.Any<TranslateTitle>());
            Assert.True(await harness.Published.Any<TitleTranslated>());
            Assert.Single(_llm.Completions);

            // Even with the LLM down, the cached translation answers.
            _llm.Behaviour = FakeLlmBehaviour.Down;
            var again = Command("美少女");
            await harness.Bus.Publish(again);
            Assert.True(await harness.Published.Any<TitleTranslated>(x => x.Context.Message.CorrelationId == again.CorrelationId));
            Assert.Single(_llm.Completions);

            _llm.Behaviour = FakeLlmBehaviour.Normal;
            _llm.Translate = s => "新:" + s;
            var forced = Command("美少女", force: true);
            await harness.Bus.Publish(forced);
            Assert.True(await harness.Published.Any<TitleTranslated>(x => x.Context.Message.CorrelationId == forced.CorrelationId));
            Assert.Equal("新:美少女", harness.Published.Select<TitleTranslated>(x => x.Context.Message.CorrelationId == forced.CorrelationId).Single().Context.Message.TranslatedTitle);
            Assert.Equal(2, _llm.Completions.Count);
        }
        finally { await harness.Stop(); }
    }

    [Fact]
    public async Task The_in_process_cache_is_keyed_by_title_and_never_keeps_a_failure()
    {
        using var t = Start();
        _llm.Behaviour = FakeLlmBehaviour.Down;
        Assert.False((await t.Translator.TranslateAsync("X", false, default)).Succeeded);

        _llm.Behaviour = FakeLlmBehaviour.Normal;
        var x = await t.Translator.TranslateAsync("X", false, default);
        Assert.True(x.Succeeded, x.FailureReason);
        Assert.False(x.FromCache);
        Assert.False((await t.Translator.TranslateAsync("Y", false, default)).FromCache);
        Assert.True((await t.Translator.TranslateAsync("X", false, default)).FromCache);
        Assert.Equal(2, _llm.Completions.Count);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_title_share_one_llm_call()
    {
        // The LLM holds its answer until all five have asked: they can only share the first call (or each make their own).
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _llm.Hold = release.Task;
        using var t = Start();
        var calls = Enumerable.Range(0, 5).Select(_ => t.Translator.TranslateAsync("美少女", false, default)).ToList();
        await NasSav.Testing.Wait.UntilAsync(() => _llm.Completions.Count >= 1, Patience, "the first call at the LLM");
        release.SetResult();
        var outcomes = await Task.WhenAll(calls).WaitAsync(Patience);
        Assert.All(outcomes, o => Assert.Equal("译:女少美", o.Translation));
        Assert.Single(_llm.Completions);
    }

    [Fact]
    public async Task An_empty_title_fails_without_calling_the_llm()
    {
        using var t = Start();
        var harness = t.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            await harness.Bus.Publish(Command("  "));
            Assert.True(await harness.Published.Any<TitleTranslationFailed>());
            Assert.Contains("empty", harness.Published.Select<TitleTranslationFailed>().Single().Context.Message.Reason);
            Assert.Empty(_llm.Requests);
        }
        finally { await harness.Stop(); }
    }
}
