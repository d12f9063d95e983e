using NasSav.Gateway;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddNasSavDefaults("gateway");
builder.Services.AddGateway(builder.Configuration);
builder.Services.AddNasSavBus(builder.Configuration);

var app = builder.Build();
app.UseNasSavErrorEnvelope();
app.UseGateway();
app.UseNasSavApi();
app.MapNasSavHealth();
app.MapGateway();
app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
