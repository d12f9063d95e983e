using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NasSav.Standalone.Tests;

/// <summary>The standalone host (every module in one process) on a real Kestrel socket and a fresh data folder.</summary>
public sealed class StandaloneApp : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    public string DataRoot { get; } = Directory.CreateTempSubdirectory("nassav-standalone-").FullName;

    public StandaloneApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Data:Root", DataRoot);
        builder.UseSetting("Logging:Format", "simple");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
    }
}
