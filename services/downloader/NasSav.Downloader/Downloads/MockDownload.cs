using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Downloads;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// The peer's mock download (reference §2): no lease, no files; one progress event per second for the duration,
/// percent = min(100, (i+1)*100/duration), speed "{(i+1)*2:.1f} MB/s", eta "00:MM:SS" (time left), then completed.
/// </summary>
public sealed class MockDownload(IBus bus, ProgressPublisher progress, IOptions<DownloaderOptions> options, TimeProvider clock, ILogger<MockDownload> log)
{
    public const int MaxDurationSeconds = 300;

    public async Task RunAsync(ConsumeContext<DownloadVideo> context, RunningDownloads.Running run)
    {
        var task = context.Message;
        var duration = Math.Clamp(task.MockDurationSeconds, 1, MaxDurationSeconds);
        await bus.Publish(DownloadMessages.Started(task, 0, options.Value.ResolveInstanceName(), clock.GetUtcNow()), context.CancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, run.Token);
        try
        {
            for (var i = 0; i < duration; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock, work.Token);
                var left = duration - (i + 1);
                await progress.PublishAsync(new DownloadProgressed
                {
                    CorrelationId = task.CorrelationId,
                    Avid = task.Avid,
                    TaskId = task.TaskId,
                    Epoch = 0,
                    Phase = "download",
                    Percent = Math.Min(100, (i + 1) * 100.0 / duration),
                    BytesPerSecond = (i + 1) * 2 * 1024 * 1024,
                    EtaSeconds = left,
                    Speed = string.Create(CultureInfo.InvariantCulture, $"{(i + 1) * 2:0.0} MB/s"),
                    Eta = string.Create(CultureInfo.InvariantCulture, $"00:{left / 60:00}:{left % 60:00}"),
                    Mock = true,
                    At = clock.GetUtcNow(),
                }, work.Token);
            }
            await context.Publish(new DownloadCompleted
            {
                CorrelationId = task.CorrelationId,
                Avid = task.Avid,
                TaskId = task.TaskId,
                Epoch = 0,
                Mock = true,
                CompletedAt = clock.GetUtcNow(),
            });
            log.LogInformation("Mock download {TaskId} of {Avid} completed after {Duration} s", task.TaskId, task.Avid, duration);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            log.LogInformation("Mock download {TaskId} of {Avid} cancelled", task.TaskId, task.Avid);
            await context.Publish(DownloadMessages.Stopped(task, 0, run.Reason ?? StopReason.Cancelled, options.Value.Monitoring.CancelAfterMinutes));
        }
        finally
        {
            await progress.ClearAsync(task.Avid);
        }
    }
}
