using NasSav.Catalog;
using NasSav.Downloader;
using NasSav.Gateway;
using NasSav.Maintenance;
using NasSav.Scraper;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;
using NasSav.Standalone;
using NasSav.Translator;

// Every service in one process: in-memory bus, SQLite, local folder, in-process lock.
var builder = WebApplication.CreateBuilder(args);
StandaloneDefaults.Apply(builder);
builder.AddNasSavDefaults("standalone");
builder.Services
    .AddGateway(builder.Configuration)
    .AddCatalog(builder.Configuration)
    .AddScraper(builder.Configuration)
    .AddTranslator(builder.Configuration)
    .AddDownloader(builder.Configuration)
    .AddMaintenance(builder.Configuration)
    .AddNasSavBus(builder.Configuration);

var app = builder.Build();
app.UseNasSavErrorEnvelope();
app.UseGateway();
app.UseNasSavApi();
app.MapNasSavHealth();
app.MapCatalog();
app.MapScraper();
app.MapTranslator();
app.MapDownloader();
app.MapMaintenance();
app.MapGateway();
app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
