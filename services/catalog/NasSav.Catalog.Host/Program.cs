using NasSav.Catalog;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;

// The catalog serves its own OpenAPI document in the distributed set (the gateway forwards /openapi to it);
// in standalone the gateway module maps the same path for the whole process.
ServiceHost.Build(args, "catalog",
    (services, config) => services.AddCatalog(config).AddNasSavOpenApi(),
    app => { app.MapCatalog(); app.MapNasSavOpenApi(); }).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
