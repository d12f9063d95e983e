using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Scraper.MetadataSites;
using NasSav.Scraper.Sources;
using NasSav.Media.Storage;

namespace NasSav.Scraper.Tests;

/// <summary>The scraper module in a container of its own, over a temporary media folder.</summary>
public sealed class Scraping : IDisposable
{
    public ServiceProvider Services { get; }
    public string MediaRoot { get; }
    public FolderMediaStore Store { get; }

    public Scraping(IDictionary<string, string?> config, Action<IServiceCollection>? more = null)
    {
        MediaRoot = Path.Combine(Path.GetTempPath(), "nassav-scraper-tests", Guid.NewGuid().ToString("N"));
        Store = new FolderMediaStore(MediaRoot);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IMediaStore>(Store);
        services.AddScraper(configuration);
        more?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    /// <summary>Fast defaults for tests; a test overrides what it checks.</summary>
    public static Dictionary<string, string?> Config(params (string Key, string? Value)[] values)
    {
        var config = new Dictionary<string, string?>
        {
            // A page that answers must never time out, however loaded the machine: the timeout tests set their own.
            ["Scraper:TimeoutSeconds"] = "60",
            ["Scraper:Retries"] = "1",
            ["Scraper:RetryDelayMs"] = "20",
            ["Scraper:MinIntervalMs"] = "0",
        };
        foreach (var (key, value) in values) config[key] = value;
        return config;
    }

    public SourceResolver Resolver => Services.GetRequiredService<SourceResolver>();
    public MetadataScraper Metadata => Services.GetRequiredService<MetadataScraper>();
    public ScraperSourcesOptions Sources => Services.GetRequiredService<IOptions<ScraperSourcesOptions>>().Value;
    public MetadataSitesOptions Sites => Services.GetRequiredService<IOptions<MetadataSitesOptions>>().Value;

    public IReadOnlyList<string> AllFiles() =>
        Directory.Exists(MediaRoot)
            ? Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(MediaRoot, f).Replace('\\', '/')).ToList()
            : [];

    public void Dispose()
    {
        // The MassTransit harness registers services that only dispose asynchronously.
        Services.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try { Directory.Delete(MediaRoot, recursive: true); } catch (IOException) { }
    }
}
