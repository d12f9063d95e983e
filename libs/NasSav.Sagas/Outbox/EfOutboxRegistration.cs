using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NasSav.Sagas.Outbox;

public static class EfOutboxRegistration
{
    /// <summary>
    /// The outbox of <typeparamref name="TDbContext"/> (which must map it: <c>modelBuilder.MapOutbox()</c>, and create
    /// its tables in a migration): the dispatcher that delivers committed rows, and <see cref="TransactionalOutbox{TDbContext}"/>
    /// for code outside a consumer (HTTP endpoints) that writes and publishes.
    /// </summary>
    public static IServiceCollection AddEfOutbox<TDbContext>(this IServiceCollection services, IConfiguration configuration)
        where TDbContext : DbContext
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<OutboxDispatcher<TDbContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TDbContext>>());
        services.TryAddScoped<TransactionalOutbox<TDbContext>>();
        services.TryAddSingleton<DurableRequests<TDbContext>>();
        return services;
    }

    /// <summary>
    /// Runs every message of this endpoint in one transaction of <typeparamref name="TDbContext"/> with the inbox and the
    /// outbox (<see cref="EfOutboxConsumeFilter{TDbContext,TMessage}"/>). Configure retries before this call: they wrap it.
    /// </summary>
    public static void UseEfOutbox<TDbContext>(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        Action<EfOutboxEndpointOptions>? configure = null) where TDbContext : DbContext
    {
        var options = new EfOutboxEndpointOptions { Consumer = EndpointName(endpoint.InputAddress) };
        configure?.Invoke(options);
        _ = new EfOutboxConfigurationObserver<TDbContext>(endpoint, context, options);
    }

    private static string EndpointName(Uri address) => address.AbsolutePath.Trim('/').Split('/').Last();
}

/// <summary>
/// Puts the outbox filter on the endpoint's pipe of every message type its consumers and sagas take (once per type):
/// after the retry filters configured before it, before the consumer's scope and the saga repository.
/// </summary>
internal sealed class EfOutboxConfigurationObserver<TDbContext> : ConfigurationObserver, IMessageConfigurationObserver
    where TDbContext : DbContext
{
    private readonly IRegistrationContext _context;
    private readonly EfOutboxEndpointOptions _options;

    public EfOutboxConfigurationObserver(IConsumePipeConfigurator configurator, IRegistrationContext context, EfOutboxEndpointOptions options)
        : base(configurator)
    {
        _context = context;
        _options = options;
        Connect(this);
    }

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator) where TMessage : class =>
        configurator.AddPipeSpecification(new FilterPipeSpecification<ConsumeContext<TMessage>>(
            new EfOutboxConsumeFilter<TDbContext, TMessage>(_context, _options)));
}
