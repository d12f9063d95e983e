using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Coordination;
using NasSav.Database;
using NasSav.Coordination.Locking.Fencing;

namespace NasSav.LeaseHolder;

/// <summary>
/// The coordination services exactly as a module registers them (AddNasSavCoordination), from flat
/// configuration keys, with the fencing table migrated. Shared by this holder and the tests.
/// </summary>
public static class CoordinationServices
{
    public static async Task<ServiceProvider> BuildAsync(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Debug);
            if (logs is not null) b.AddProvider(logs);
        });
        services.AddValidatedOptions<DataOptions>(config, DataOptions.Section);
        services.AddValidatedOptions<DatabaseOptions>(config, DatabaseOptions.Section);
        services.AddNasSavCoordination(config);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        await DatabaseMigrator<FencingDbContext>.MigrateAsync(scope.ServiceProvider.GetRequiredService<FencingDbContext>(),
            NullLogger.Instance, CancellationToken.None);
        return provider;
    }
}
