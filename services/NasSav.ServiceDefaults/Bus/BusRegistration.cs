using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.ServiceDefaults.Bus;

/// <summary>What one module adds to the single MassTransit registration of its host.</summary>
public sealed record BusContribution(Action<IBusRegistrationConfigurator> Configure);

/// <summary>What one module adds to the RabbitMQ topology of its host (ignored on the in-memory bus).</summary>
public sealed record RabbitMqTopologyContribution(Action<IRabbitMqBusFactoryConfigurator> Configure);

public static class BusRegistration
{
    /// <summary>Modules call this from their Add&lt;Service&gt;; the host calls <see cref="AddNasSavBus"/> once, last.</summary>
    public static IServiceCollection AddBusContribution(this IServiceCollection services, Action<IBusRegistrationConfigurator> configure)
    {
        services.AddSingleton(new BusContribution(configure));
        return services;
    }

    /// <summary>Broker topology a module needs declared before its messages are published (e.g. a command's queue).</summary>
    public static IServiceCollection AddRabbitMqTopology(this IServiceCollection services, Action<IRabbitMqBusFactoryConfigurator> configure)
    {
        services.AddSingleton(new RabbitMqTopologyContribution(configure));
        return services;
    }

    public static IServiceCollection AddNasSavBus(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var contributions = Registered<BusContribution>(services);
        var topology = Registered<RabbitMqTopologyContribution>(services);

        services.AddMassTransit(x =>
        {
            // MassTransit 8.4 otherwise POSTs "usage telemetry" to its vendor a few minutes after start: a
            // self-hosted private library sends nothing anywhere it was not configured to.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            foreach (var contribution in contributions) contribution.Configure(x);

            if (options.Transport == BusTransport.RabbitMq)
            {
                if (string.IsNullOrWhiteSpace(options.RabbitMqUri))
                    throw new InvalidOperationException("Bus:RabbitMqUri is required when Bus:Transport is RabbitMq (amqp://user:pass@host:5672/vhost)");
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(options.RabbitMqUri));
                    foreach (var contribution in topology) contribution.Configure(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }

    /// <summary>The instances modules registered as <typeparamref name="T"/>, read before the container is built.</summary>
    private static List<T> Registered<T>(IServiceCollection services) where T : class =>
        services.Where(d => d.ServiceType == typeof(T)).Select(d => d.ImplementationInstance).OfType<T>().ToList();
}
