using MassTransit;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Translation;

namespace NasSav.Translator;

/// <summary>TranslateTitle → TitleTranslated (cleaned text) or TitleTranslationFailed (Reason).</summary>
public sealed class TranslateTitleConsumer(TitleTranslator translator) : IConsumer<TranslateTitle>
{
    public async Task Consume(ConsumeContext<TranslateTitle> context)
    {
        var m = context.Message;
        var outcome = await translator.TranslateAsync(m.Text, m.Force, context.CancellationToken);
        if (outcome.Succeeded)
            await context.Publish(new TitleTranslated { CorrelationId = m.CorrelationId, Avid = m.Avid, TranslatedTitle = outcome.Translation! }, context.CancellationToken);
        else
            await context.Publish(new TitleTranslationFailed { CorrelationId = m.CorrelationId, Avid = m.Avid, Reason = outcome.FailureReason! }, context.CancellationToken);
    }
}

public sealed class TranslateTitleConsumerDefinition : ConsumerDefinition<TranslateTitleConsumer>
{
    public TranslateTitleConsumerDefinition(IOptions<TranslatorOptions> options)
    {
        ConcurrentMessageLimit = options.Value.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TranslateTitleConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
