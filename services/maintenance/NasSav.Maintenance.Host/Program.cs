using NasSav.Maintenance;
using NasSav.ServiceDefaults.Hosting;

ServiceHost.Build(args, "maintenance", (services, config) => services.AddMaintenance(config), app => app.MapMaintenance()).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
