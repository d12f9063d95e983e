extern alias standalone;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Maintenance.Data;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.Support;

public enum DbKind { Sqlite, Postgres }

/// <summary>
/// The standalone host (catalog, scraper, maintenance, gateway in one process, in-memory bus) on a real socket,
/// a fresh data folder and a fresh database: SQLite in that folder or a new database on the test PostgreSQL.
/// Maintenance talks to catalog over the bus exactly as it does between services.
/// </summary>
public sealed class MaintenanceApp : WebApplicationFactory<standalone::Program>
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, string?> _settings;
    private readonly PostgresDatabase? _postgres;
    public Scheduling.GateJob Gate { get; } = new();
    public string DataRoot { get; }
    public string MediaRoot => Path.Combine(DataRoot, "resource");
    public string BackupRoot => Path.Combine(DataRoot, "backup");
    public DbKind Kind { get; }
    public PostgresDatabase? Postgres => _postgres;
    public HttpClient Http { get; private set; } = null!;

    private MaintenanceApp(DbKind kind, string root, PostgresDatabase? postgres, IDictionary<string, string?>? extra)
    {
        Kind = kind;
        DataRoot = root;
        _postgres = postgres;
        _settings = new Dictionary<string, string?>
        {
            ["Data:Root"] = root,
            ["Database:Provider"] = kind.ToString(),
            ["Database:ConnectionString"] = postgres?.ConnectionString,
            ["Logging:Format"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
            // Tests run jobs on demand: no schedule fires during a test.
            ["Maintenance:Jobs:backup-database:Cron"] = "off",
            ["Maintenance:Jobs:backup-avid-list:Cron"] = "off",
            ["Maintenance:Jobs:check-resources:Cron"] = "off",
            ["Maintenance:Jobs:check-videos:Cron"] = "off",
            ["Maintenance:Jobs:check-avatars:Cron"] = "off",
            ["Maintenance:Jobs:check-lifecycles:Cron"] = "off",
            // Catalog's watchdog would resume what the lifecycle check is meant to find.
            ["Lifecycle:Watchdog:AutoRepair"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) _settings[k] = v;
        UseKestrel(0);
    }

    public static async Task<MaintenanceApp> StartAsync(DbKind kind, IDictionary<string, string?>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("nassav-maintenance-").FullName;
        var pg = kind == DbKind.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var app = new MaintenanceApp(kind, root, pg, settings);
        app.StartServer();
        app.Http = app.CreateClient();
        app.Http.Timeout = TimeSpan.FromSeconds(120);
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureServices(s => s.AddSingleton<NasSav.Maintenance.Scheduling.IMaintenanceJob>(Gate));
    }

    public async Task<T> CatalogAsync<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    public Task CatalogAsync(Func<CatalogDbContext, Task> work) => CatalogAsync(async db => { await work(db); return 0; });

    public async Task<T> RunsAsync<T>(Func<MaintenanceDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MaintenanceDbContext>());
    }

    /// <summary>POST run now, then wait for the run to end; returns the run's JSON (data of GET /runs/{id}).</summary>
    public async Task<JsonElement> RunJobAsync(string job, bool? apply = null, string expectStatus = "succeeded")
    {
        var query = apply is null ? "" : $"?apply={apply.Value.ToString().ToLowerInvariant()}";
        using var start = await Http.PostAsync($"/nassav/api/maintenance/jobs/{job}/run{query}", null);
        var body = await start.Content.ReadAsStringAsync();
        Assert.True((int)start.StatusCode == 202, $"run {job}: {(int)start.StatusCode} {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetInt64();
        JsonElement run = default;
        await Wait.UntilAsync(async () =>
        {
            run = (await Http.GetFromJsonAsync<JsonElement>($"/nassav/api/maintenance/runs/{id}")).GetProperty("data");
            return run.GetProperty("status").GetString() != "running";
        }, Patience, $"run {id} of {job} to end");
        Assert.True(run.GetProperty("status").GetString() == expectStatus, $"run {id} of {job}: {run}");
        return run;
    }

    public async Task<JsonElement> ReportAsync(long runId) =>
        (await Http.GetFromJsonAsync<JsonElement>($"/nassav/api/maintenance/runs/{runId}/report")).GetProperty("data").GetProperty("report");

    public override async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            await base.DisposeAsync();
        }
        catch (NullReferenceException ex) when (ex.StackTrace?.Contains("MassTransit.Transports.ReceiveEndpoint.Stop", StringComparison.Ordinal) == true)
        {
            // MassTransit 8.5.12 can throw here when the host stops a receive endpoint whose start it has not finished
            // (seen once in a full run, after the test's assertions had passed). The test's outcome is decided; the
            // host is stopping either way.
        }
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
    }
}
