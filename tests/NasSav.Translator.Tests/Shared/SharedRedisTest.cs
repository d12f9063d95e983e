using NasSav.Testing.FakeLlm;

namespace NasSav.Translator.Tests.Shared;

/// <summary>Tests of what translator instances share: one real Redis and one fake LLM per test.</summary>
public abstract class SharedRedisTest : IAsyncLifetime
{
    protected SharedRedis Redis { get; } = new();
    protected FakeLlmServer Llm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        Llm = await FakeLlmServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Llm.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
