using NasSav.Scraper;
using NasSav.ServiceDefaults.Hosting;

ServiceHost.Build(args, "scraper", (services, config) => services.AddScraper(config), app => app.MapScraper()).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
