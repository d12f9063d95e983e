using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.Maintenance.Backups;
using NasSav.Maintenance.Consistency;
using NasSav.Maintenance.Data;
using NasSav.Maintenance.ErrorQueues;
using NasSav.Maintenance.Library;
using NasSav.Maintenance.Scheduling;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Media.Processes;
using NasSav.Database;
using NasSav.ServiceDefaults.Telemetry;
using NasSav.Media.Storage;

namespace NasSav.Maintenance;

/// <summary>
/// The maintenance service as a module: scheduled jobs (backups, consistency checks, sync of backups) with a
/// run history and API under /nassav/api/maintenance, and the drop-folder importer. It reads and repairs the
/// library only through catalog's bus contracts (docs/maintenance.md).
/// </summary>
public static class MaintenanceModule
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<MaintenanceOptions>(configuration, MaintenanceOptions.Section, MaintenanceOptions.Validate);
        services.AddNasSavDatabase<MaintenanceDbContext>(MaintenanceDbContext.MigrationsHistoryTable);
        services.AddNasSavMediaStore(configuration);
        services.AddSingleton<LibraryClient>();

        services.AddSingleton<DatabaseBackup>();
        services.AddSingleton<IMaintenanceJob, DatabaseBackupJob>();
        services.AddSingleton<IMaintenanceJob, AvidListBackupJob>();

        services.AddConsistencyChecks();
        services.AddErrorQueues(configuration);
        // One job per configured sync task (their settings are read again at each run).
        var sync = configuration.GetSection($"{MaintenanceOptions.Section}:Sync").GetChildren().Select(c => c.Key).ToList();
        foreach (var task in sync)
            services.AddSingleton<IMaintenanceJob>(sp => ActivatorUtilities.CreateInstance<Sync.SyncJob>(sp, task));

        // The media-server export: its job and the consumer that keeps it current, only when enabled.
        if (configuration.GetValue<bool>($"{MaintenanceOptions.Section}:Export:Enabled"))
        {
            services.AddValidatedOptions<MediaToolOptions>(configuration, MediaToolOptions.Section, MediaToolOptions.Validate);
            services.AddSingleton<Export.LibraryExport>();
            services.AddSingleton<IMaintenanceJob, Export.ExportJob>();
            services.AddBusContribution(x => x.AddConsumer<Export.LibraryExportConsumer>(typeof(Export.LibraryExportConsumerDefinition)));
        }

        services.AddSingleton<Import.DropFolderImporter>();
        services.AddHostedService(sp => sp.GetRequiredService<Import.DropFolderImporter>());

        services.AddSingleton<JobCatalog>();
        services.AddSingleton<JobRunner>();
        services.AddNasSavInstruments<MaintenanceMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        return services;
    }

    public static IEndpointRouteBuilder MapMaintenance(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMaintenanceEndpoints();
        endpoints.MapErrorQueueEndpoints();
        endpoints.MapGet($"{MaintenanceEndpoints.Prefix}/import/status",
            (Import.DropFolderImporter importer) => NasSav.ServiceDefaults.Http.ApiResults.Ok(importer.Status()));
        return endpoints;
    }
}
