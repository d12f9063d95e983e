using NasSav.Downloader;
using NasSav.ServiceDefaults.Hosting;

ServiceHost.Build(args, "downloader", (services, config) => services.AddDownloader(config), app => app.MapDownloader()).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
