namespace NasSav.Standalone.Tests;

/// <summary>A test class with its own standalone host (started before the first test) and a client of it.</summary>
public abstract class StandaloneTest(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected StandaloneApp App { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;

    public Task InitializeAsync()
    {
        App = new StandaloneApp(settings);
        App.StartServer();
        Http = App.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
