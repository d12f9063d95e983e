using NasSav.Maintenance;
using NasSav.Maintenance.Backups;
using NasSav.ServiceDefaults.Hosting;

// `restore --from <backup folder>` restores a database backup instead of starting the service (docs/maintenance.md).
if (args.Length > 0 && args[0] == "restore") return await RestoreCommand.RunAsync(args[1..], Console.Out, Console.Error);

await ServiceHost.Build(args, "maintenance", (services, config) => services.AddMaintenance(config), app => app.MapMaintenance()).RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
