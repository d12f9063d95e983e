using NasSav.Catalog;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddNasSavDefaults("catalog");
builder.Services.AddCatalog(builder.Configuration);
builder.Services.AddNasSavBus(builder.Configuration);

var app = builder.Build();
app.UseNasSavApi();
app.MapNasSavHealth();
app.MapCatalog();
app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
