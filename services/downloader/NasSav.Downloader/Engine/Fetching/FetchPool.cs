namespace NasSav.Downloader.Engine.Fetching;

/// <summary>
/// Fetches many items with <see cref="HlsEngineOptions.Parallelism"/> workers taking from one queue;
/// the first item that fails for good stops them all and is the error reported.
/// </summary>
public sealed class FetchPool(SegmentFetcher fetcher, ProgressTracker tracker, int parallelism)
{
    /// <param name="onDone">Called by the worker as soon as an item's file is complete under its final name.</param>
    public async Task FetchAllAsync(IReadOnlyList<FetchItem> items, string staging, Action<FetchItem>? onDone, CancellationToken ct)
    {
        var next = -1;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Exception? failure = null;

        async Task Worker()
        {
            int i;
            while (!stop.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < items.Count)
            {
                var item = items[i];
                try
                {
                    var size = await fetcher.FetchAsync(item, Path.Combine(staging, item.FileName), stop.Token).ConfigureAwait(false);
                    tracker.Fetched(size, !item.IsInit);
                    onDone?.Invoke(item);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    if (ex is OperationCanceledException && stop.IsCancellationRequested) return;   // another worker failed
                    Interlocked.CompareExchange(ref failure, ex, null);
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }

        var workers = new Task[Math.Min(parallelism, Math.Max(1, items.Count))];
        for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(Worker, CancellationToken.None);
        await Task.WhenAll(workers).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (failure is not null)
            throw failure as HlsDownloadException ?? new HlsDownloadException(failure.Message, failure);
    }
}
