using NasSav.Catalog;
using NasSav.ServiceDefaults.Hosting;

ServiceHost.Build(args, "catalog", (services, config) => services.AddCatalog(config), app => app.MapCatalog()).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
