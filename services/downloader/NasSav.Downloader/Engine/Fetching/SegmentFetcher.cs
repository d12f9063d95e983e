using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;

namespace NasSav.Downloader.Engine.Fetching;

/// <summary>
/// Fetches one item to its file: streamed to "{file}.part" (decrypted on the way when keyed), checked
/// against the expected length, then renamed, so a file under the final name is always complete.
/// Each attempt has a stall watchdog; attempts are retried with backoff.
/// </summary>
public sealed class SegmentFetcher(HlsHttp http, KeyCache keys, Retry retry, HlsEngineOptions options, ProgressTracker progress, ILogger logger)
{
    public Task<long> FetchAsync(FetchItem item, string path, CancellationToken ct) =>
        retry.RunAsync($"{item.Number} ({item.Uri})", async (attempt, token) =>
        {
            try
            {
                return await AttemptAsync(item, path, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested && attempt < options.Attempts)
            {
                logger.LogWarning("{Item} ({Uri}) attempt {Attempt} of {Attempts} failed: {Error}", item.Number, item.Uri, attempt, options.Attempts, ex.Message);
                throw;
            }
        }, ct);

    private async Task<long> AttemptAsync(FetchItem item, string path, CancellationToken ct)
    {
        var part = path + ".part";
        long received = 0;
        var ok = false;
        using var watchdog = new StallWatchdog(TimeSpan.FromMilliseconds(options.StallTimeoutMs), ct);
        var buffer = ArrayPool<byte>.Shared.Rent(options.BufferKilobytes * 1024);
        try
        {
            var key = item.Key is { } k ? await keys.GetAsync(k.Uri).WaitAsync(ct).ConfigureAwait(false) : null;
            watchdog.Arm();
            using var request = http.Request(HttpMethod.Get, item.Uri, item.Range);
            using var response = await http.SendAsync(request, watchdog.Token).ConfigureAwait(false);

            // A server that ignores Range answers 200 with the whole resource: skip to the range ourselves.
            long skip = 0;
            var expected = response.Content.Headers.ContentLength;
            if (item.Range is { } range)
            {
                if (response.StatusCode != HttpStatusCode.PartialContent) skip = range.Offset;
                expected = range.Length;
            }

            // Synchronous writes: on Linux an asynchronous FileStream only runs the same pwrite on a
            // thread-pool thread, one extra hop per buffer; a page-cache write takes microseconds.
            using (var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                var crypto = key is null ? null : Aes128.DecryptingWriter(file, key, item.Key!.Iv ?? Aes128.SequenceIv(item.SequenceNumber));
                var sink = (Stream?)crypto ?? file;
                await using var body = await response.Content.ReadAsStreamAsync(watchdog.Token).ConfigureAwait(false);
                while (expected is null || received < expected)
                {
                    watchdog.Arm();
                    var n = await body.ReadAsync(buffer, watchdog.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    var start = 0;
                    if (skip > 0)
                    {
                        start = (int)Math.Min(skip, n);
                        skip -= start;
                    }
                    var take = n - start;
                    if (expected is { } e && received + take > e) take = (int)(e - received);
                    if (take <= 0) continue;
                    sink.Write(buffer, start, take);
                    received += take;
                    progress.Received(take);
                }
                if (expected is { } want && received != want)
                    throw new IOException($"the body ended after {received} of {want} bytes");
                if (crypto is not null)
                {
                    // Not disposed on failure: disposing flushes the final block, whose padding error would hide the real one.
                    crypto.FlushFinalBlock();
                    crypto.Dispose();
                }
            }
            File.Move(part, path, overwrite: true);
            ok = true;
            return received;
        }
        catch (OperationCanceledException) when (watchdog.Stalled)
        {
            throw new TimeoutException($"stalled: no data for {options.StallTimeoutMs} ms after {received} bytes");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!ok)
            {
                progress.Discarded(received);
                TryDelete(part);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
