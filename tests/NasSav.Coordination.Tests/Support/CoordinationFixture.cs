using Microsoft.Extensions.DependencyInjection;
using NasSav.LeaseHolder;
using NasSav.Testing;

namespace NasSav.Coordination.Tests.Support;

/// <summary>Where a test's coordination services live: a fresh PostgreSQL database or a SQLite file, optionally Redis.</summary>
public sealed class CoordinationFixture : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly PostgresDatabase? _postgres;
    private readonly string _folder;

    public Dictionary<string, string?> Settings { get; }

    private CoordinationFixture(Dictionary<string, string?> settings, PostgresDatabase? postgres, string folder)
    {
        Settings = settings;
        _postgres = postgres;
        _folder = folder;
    }

    public static async Task<CoordinationFixture> CreateAsync(bool postgres, string? redisEndpoint)
    {
        var folder = Path.Combine(Path.GetTempPath(), "nassav-coordination-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Data:Root"] = folder,
            ["Locking:LeaseTtl"] = "00:00:02",
            ["Locking:KeyPrefix"] = $"test:{Guid.NewGuid():N}:lease:",
        };
        PostgresDatabase? db = null;
        if (postgres)
        {
            db = await PostgresDatabase.CreateAsync();
            settings["Database:Provider"] = "Postgres";
            settings["Database:ConnectionString"] = db.ConnectionString;
        }
        else
        {
            settings["Database:Provider"] = "Sqlite";
        }
        if (redisEndpoint is not null) settings["Redis:Endpoint"] = redisEndpoint;
        return new CoordinationFixture(settings, db, folder);
    }

    /// <summary>A service provider as a module would have it; several of them are several "instances".</summary>
    public async Task<ServiceProvider> InstanceAsync(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (k, v) in overrides) settings[k] = v;
        var provider = await CoordinationServices.BuildAsync(settings);
        lock (_providers) _providers.Add(provider);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _providers) await p.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
