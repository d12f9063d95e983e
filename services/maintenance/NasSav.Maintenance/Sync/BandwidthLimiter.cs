namespace NasSav.Maintenance.Sync;

/// <summary>A token bucket shared by every copy of one sync run: the cap is on the total, whatever the thread count.</summary>
public sealed class BandwidthLimiter(long bytesPerSecond, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private double _tokens = bytesPerSecond;
    private long _stamp = clock.GetTimestamp();

    public bool Unlimited => bytesPerSecond <= 0;

    public async Task TakeAsync(int bytes, CancellationToken ct)
    {
        if (Unlimited) return;
        await _gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                var now = clock.GetTimestamp();
                _tokens = Math.Min(bytesPerSecond, _tokens + clock.GetElapsedTime(_stamp, now).TotalSeconds * bytesPerSecond);
                _stamp = now;
                if (_tokens >= bytes || _tokens >= bytesPerSecond) { _tokens -= bytes; return; }
                var wait = TimeSpan.FromSeconds((bytes - _tokens) / bytesPerSecond);
                await Task.Delay(wait, clock, ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A read-only stream that takes from the limiter before each read and reports bytes read.</summary>
public sealed class ThrottledStream(Stream inner, BandwidthLimiter limiter, Action<long> onRead) : Stream
{
    private const int Chunk = 64 * 1024;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = Math.Min(buffer.Length, Chunk);
        await limiter.TakeAsync(want, cancellationToken);
        var read = await inner.ReadAsync(buffer[..want], cancellationToken);
        if (read > 0) onRead(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
