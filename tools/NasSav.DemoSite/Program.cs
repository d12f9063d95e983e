using NasSav.DemoSite;

// The offline demo site NasSav's demo configuration points at: see README.md in this folder.
var app = await DemoSiteApp.StartAsync(args);
await app.WaitForShutdownAsync();

/// <summary>Visible to WebApplicationFactory; the tests start the real app on 127.0.0.1:0 through DemoSiteApp instead (ffmpeg must reach it).</summary>
public partial class Program;
