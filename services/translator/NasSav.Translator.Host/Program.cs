using NasSav.Translator;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddNasSavDefaults("translator");
builder.Services.AddTranslator(builder.Configuration);
builder.Services.AddNasSavBus(builder.Configuration);

var app = builder.Build();
app.UseNasSavApi();
app.MapNasSavHealth();
app.MapTranslator();
app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
