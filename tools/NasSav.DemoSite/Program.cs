using NasSav.DemoSite;

// The offline demo site NasSav's demo configuration points at: see README.md in this folder.
var app = await DemoSiteApp.StartAsync(args);
await app.WaitForShutdownAsync();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
