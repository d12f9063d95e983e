using NasSav.Translator;
using NasSav.ServiceDefaults.Hosting;

ServiceHost.Build(args, "translator", (services, config) => services.AddTranslator(config), app => app.MapTranslator()).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
