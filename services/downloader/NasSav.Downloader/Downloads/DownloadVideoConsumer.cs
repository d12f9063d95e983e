using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Contracts.Downloads;
using NasSav.Media.Avids;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// DownloadVideo, one at a time: the delivery is held (unacknowledged) until the download ends, so a crashed
/// downloader's message goes back to the queue and the next consumer resumes it.
/// </summary>
public sealed class DownloadVideoConsumer(
    RealDownload real, MockDownload mock, TaskMarks marks, RunningDownloads running, ILogger<DownloadVideoConsumer> log) : IConsumer<DownloadVideo>
{
    public async Task Consume(ConsumeContext<DownloadVideo> context)
    {
        var task = context.Message;
        if (!Avid.TryParse(task.Avid, out var avid, out var error))
        {
            await context.Publish(DownloadMessages.Failed(task, 0, $"下载失败: {error}", error));
            return;
        }
        if (!task.Mock && !IsHttpUrl(task.M3u8Url))
        {
            await context.Publish(DownloadMessages.Failed(task, 0, $"下载失败: m3u8 地址无效 '{task.M3u8Url}'", "M3u8Url must be an absolute http(s) URL"));
            return;
        }
        if (await marks.CancelledAsync(task.TaskId, context.CancellationToken) is { } reason)
        {
            // The saga has moved on when it cancelled a queued task: nothing to answer.
            log.LogInformation("Task {TaskId} of {Avid} was cancelled ({Reason}) while queued; skipped", task.TaskId, avid, reason);
            return;
        }
        if (!task.Mock && await marks.DoneAsync(task.TaskId, context.CancellationToken) is { } done)
        {
            log.LogInformation("Task {TaskId} of {Avid} was already completed (epoch {Epoch}); announcing it again", task.TaskId, avid, done.Epoch);
            await context.Publish(done);
            return;
        }

        var run = running.Register(task.TaskId);
        try
        {
            if (task.Mock) await mock.RunAsync(context, run);
            else await real.RunAsync(context, avid, run);
        }
        finally
        {
            running.Unregister(run);
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";
}

/// <summary>
/// Queue <c>download-video</c>: one message at a time (prefetch 1, concurrency 1) and, on RabbitMQ, a single active
/// consumer across every downloader instance (the others stand by). The broker's consumer_timeout (deploy/rabbitmq)
/// must exceed the longest download, since the delivery stays unacknowledged meanwhile.
/// </summary>
public sealed class DownloadVideoConsumerDefinition : ConsumerDefinition<DownloadVideoConsumer>
{
    public const string QueueName = DownloadVideo.QueueName;

    public DownloadVideoConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 1;
        Endpoint(e =>
        {
            e.Name = QueueName;
            e.PrefetchCount = 1;
            e.ConcurrentMessageLimit = 1;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DownloadVideoConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
        // The in-memory transport (standalone) has one consumer anyway.
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.SingleActiveConsumer = true;
        // Completed/Failed leave only when the consumer returns; progress and Started go straight through the bus.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
