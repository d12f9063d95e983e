using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;

namespace NasSav.ServiceDefaults.Hosting;

/// <summary>The whole of a service's own host: defaults, its module, the bus, the API pipeline, health.</summary>
public static class ServiceHost
{
    public static WebApplication Build(string[] args, string serviceName,
        Action<IServiceCollection, IConfiguration> addModule,
        Action<WebApplication> mapModule,
        Action<WebApplication>? beforeRouting = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddNasSavDefaults(serviceName);
        addModule(builder.Services, builder.Configuration);
        builder.Services.AddNasSavBus(builder.Configuration);

        var app = builder.Build();
        app.UseNasSavErrorEnvelope();
        beforeRouting?.Invoke(app);
        app.UseNasSavApi();
        app.MapNasSavHealth();
        mapModule(app);
        return app;
    }
}
