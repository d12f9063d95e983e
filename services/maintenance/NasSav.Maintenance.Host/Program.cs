using NasSav.Maintenance;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddNasSavDefaults("maintenance");
builder.Services.AddMaintenance(builder.Configuration);
builder.Services.AddNasSavBus(builder.Configuration);

var app = builder.Build();
app.UseNasSavApi();
app.MapNasSavHealth();
app.MapMaintenance();
app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
