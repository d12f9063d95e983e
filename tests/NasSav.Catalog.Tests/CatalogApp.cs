using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Testing;

namespace NasSav.Catalog.Tests;

public enum DbKind { Sqlite, Postgres }

/// <summary>
/// The catalog host in memory (WebApplicationFactory) on a fresh data folder and a fresh database:
/// SQLite in that folder, or a new database on the test PostgreSQL server.
/// </summary>
public sealed class CatalogApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly PostgresDatabase? _postgres;
    private readonly Action<IServiceCollection>? _services;
    public string DataRoot { get; }
    public string MediaRoot => Path.Combine(DataRoot, "resource");
    public DbKind Kind { get; }

    private CatalogApp(DbKind kind, string dataRoot, PostgresDatabase? postgres, IDictionary<string, string?>? extra,
        Action<IServiceCollection>? services)
    {
        _services = services;
        Kind = kind;
        DataRoot = dataRoot;
        _postgres = postgres;
        _settings = new Dictionary<string, string?>
        {
            ["Data:Root"] = dataRoot,
            ["Database:Provider"] = kind.ToString(),
            ["Database:ConnectionString"] = postgres?.ConnectionString,
            ["Bus:Transport"] = "InMemory",
            ["Logging:Format"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    /// <param name="services">Test replacements, applied after the host's own registrations (e.g. the bus test harness).</param>
    /// <param name="postgresConnection">Rewrites the PostgreSQL connection string (e.g. through a <see cref="TcpProxy"/>).</param>
    public static async Task<CatalogApp> StartAsync(DbKind kind, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, Func<string, string>? postgresConnection = null)
    {
        var root = Directory.CreateTempSubdirectory("nassav-catalog-").FullName;
        var pg = kind == DbKind.Postgres ? await PostgresDatabase.CreateAsync() : null;
        if (pg is not null && postgresConnection is not null)
            settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Database:ConnectionString"] = postgresConnection(pg.ConnectionString),
            };
        var app = new CatalogApp(kind, root, pg, settings, services);
        _ = app.Server; // start now so migrations have run before the test touches the database
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    /// <summary>Runs <paramref name="work"/> against the app's database in its own scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    public Task WithDbAsync(Func<CatalogDbContext, Task> work) => WithDbAsync(async db => { await work(db); return 0; });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
    }
}
