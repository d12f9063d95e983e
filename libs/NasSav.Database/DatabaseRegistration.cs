using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Database;

public static class DatabaseRegistration
{
    // Before any context of ours is configured: SQLite says busy and locked only through its own exception type,
    // which the bus-wide retry (ServiceDefaults, no database driver) cannot name.
    static DatabaseRegistration() => TransientErrors.Add(IsSqliteBusyOrLocked);

    /// <summary>SQLITE_BUSY, SQLITE_LOCKED: another connection holds the write lock past our busy timeout.</summary>
    public static bool IsSqliteBusyOrLocked(Exception e) => e is SqliteException { SqliteErrorCode: 5 or 6 };

    /// <summary>
    /// Registers <typeparamref name="TContext"/> on SQLite (WAL) or PostgreSQL by configuration, applies
    /// its migrations when the host starts, and adds a readiness check. A context that shares the database
    /// with another one names its own <paramref name="migrationsHistoryTable"/>.
    /// </summary>
    public static IServiceCollection AddNasSavDatabase<TContext>(this IServiceCollection services, string? migrationsHistoryTable = null)
        where TContext : DbContext
    {
        services.AddDbContext<TContext>((sp, o) => Configure(o, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp.GetRequiredService<IOptions<DataOptions>>().Value, migrationsHistoryTable));
        services.AddHostedService<DatabaseMigrator<TContext>>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>($"database-{typeof(TContext).Name}", tags: ["ready"]);
        return services;
    }

    public static void Configure(DbContextOptionsBuilder o, DatabaseOptions db, DataOptions data, string? migrationsHistoryTable = null)
    {
        switch (db.Provider)
        {
            case DatabaseProvider.Postgres:
                o.UseNpgsql(db.ConnectionString, x =>
                {
                    if (migrationsHistoryTable is not null) x.MigrationsHistoryTable(migrationsHistoryTable);
                });
                break;
            default:
                o.UseSqlite(SqliteConnectionString(db, data), x =>
                {
                    if (migrationsHistoryTable is not null) x.MigrationsHistoryTable(migrationsHistoryTable);
                });
                break;
        }
        // Migrations are written by hand (EF design-time tooling does not restore here): no model snapshot.
        o.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    public static string SqliteConnectionString(DatabaseOptions db, DataOptions data)
    {
        var builder = new SqliteConnectionStringBuilder(db.ConnectionString ?? "")
        {
            // The peer waited 20 s on a busy database; WAL makes that rare.
            DefaultTimeout = 20,
            Pooling = true,
        };
        if (string.IsNullOrEmpty(builder.DataSource)) builder.DataSource = Path.Combine(data.ResolvedRoot, "nassav.db");
        return builder.ToString();
    }
}

/// <summary>Applies pending migrations before the host serves anything.</summary>
public sealed class DatabaseMigrator<TContext>(IServiceProvider services, ILogger<DatabaseMigrator<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await MigrateAsync(db, logger, cancellationToken);
    }

    public static async Task MigrateAsync(TContext db, ILogger logger, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0) logger.LogInformation("Applying {Count} migration(s) to {Context}: {Migrations}", pending.Count, typeof(TContext).Name, pending);
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL is a property of the file: set once, readers no longer block the writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class DatabaseHealthCheck<TContext>(IServiceProvider services) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("cannot connect to the database");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}
