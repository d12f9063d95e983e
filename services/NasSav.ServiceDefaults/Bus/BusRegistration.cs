using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.ServiceDefaults.Bus;

/// <summary>What one module adds to the single MassTransit registration of its host.</summary>
public sealed record BusContribution(Action<IBusRegistrationConfigurator> Configure);

public static class BusRegistration
{
    /// <summary>Modules call this from their Add&lt;Service&gt;; the host calls <see cref="AddNasSavBus"/> once, last.</summary>
    public static IServiceCollection AddBusContribution(this IServiceCollection services, Action<IBusRegistrationConfigurator> configure)
    {
        services.AddSingleton(new BusContribution(configure));
        return services;
    }

    public static IServiceCollection AddNasSavBus(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var contributions = services
            .Where(d => d.ServiceType == typeof(BusContribution) && d.ImplementationInstance is BusContribution)
            .Select(d => (BusContribution)d.ImplementationInstance!)
            .ToList();

        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            foreach (var contribution in contributions) contribution.Configure(x);

            if (options.Transport == BusTransport.RabbitMq)
            {
                if (string.IsNullOrWhiteSpace(options.RabbitMqUri))
                    throw new InvalidOperationException("Bus:RabbitMqUri is required when Bus:Transport is RabbitMq (amqp://user:pass@host:5672/vhost)");
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(options.RabbitMqUri));
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
}
