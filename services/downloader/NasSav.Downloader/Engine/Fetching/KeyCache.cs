using System.Collections.Concurrent;

namespace NasSav.Downloader.Engine.Fetching;

/// <summary>AES keys of one download: each key URI is fetched once, however many segments share it.</summary>
/// <param name="downloadCt">The whole download's token: a key fetch outlives the segment that started it.</param>
public sealed class KeyCache(HlsHttp http, CancellationToken downloadCt)
{
    private readonly ConcurrentDictionary<Uri, Lazy<Task<byte[]>>> _keys = new();

    public Task<byte[]> GetAsync(Uri uri)
    {
        var lazy = _keys.GetOrAdd(uri, u => new Lazy<Task<byte[]>>(() => FetchAsync(u)));
        if (lazy.Value is { IsFaulted: false, IsCanceled: false } task) return task;
        // A failed fetch is not kept: the segment's next attempt fetches the key again.
        _keys.TryRemove(new KeyValuePair<Uri, Lazy<Task<byte[]>>>(uri, lazy));
        return _keys.GetOrAdd(uri, u => new Lazy<Task<byte[]>>(() => FetchAsync(u))).Value;
    }

    private async Task<byte[]> FetchAsync(Uri uri)
    {
        var key = await http.GetBytesAsync("key", uri, downloadCt).ConfigureAwait(false);
        if (key.Length != 16) throw new HlsDownloadException($"key {uri} has {key.Length} bytes; AES-128 needs 16", kind: HlsFailure.UnsupportedStream);
        return key;
    }
}
