using NasSav.Gateway;
using NasSav.ServiceDefaults.Hosting;

ServiceHost.Build(args, "gateway",
    (services, config) => services.AddGateway(config),
    app => app.MapGateway(),
    beforeRouting: app => app.UseGateway()).Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
