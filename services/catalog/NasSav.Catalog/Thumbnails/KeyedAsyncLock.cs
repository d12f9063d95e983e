namespace NasSav.Catalog.Thumbnails;

/// <summary>
/// One async mutex per key (e.g. a thumbnail's storage key), created on first use and dropped when
/// nobody holds or waits for it, so the table does not grow with every AVID ever asked for.
/// </summary>
internal sealed class KeyedAsyncLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int References;
    }

    /// <summary>Number of keys currently held or awaited (for tests).</summary>
    internal int Count
    {
        get { lock (_entries) return _entries.Count; }
    }

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken ct)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!)) _entries[key] = entry = new Entry();
            entry.References++;
        }
        try
        {
            await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            Drop(key, entry);
            throw;
        }
        return new Releaser(this, key, entry);
    }

    private void Drop(string key, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.References == 0) _entries.Remove(key);
        }
    }

    private sealed class Releaser(KeyedAsyncLock owner, string key, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            entry.Gate.Release();
            owner.Drop(key, entry);
        }
    }
}
