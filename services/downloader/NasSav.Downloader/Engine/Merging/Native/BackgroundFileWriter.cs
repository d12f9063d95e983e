using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// Sequential writes handed to a thread of their own in 1 MiB blocks: copying into the page cache is
/// most of a remux's cost, and this way it runs beside the parsing instead of after it. At most
/// <see cref="Blocks"/> blocks are in flight; a write error surfaces on the next call.
/// </summary>
internal sealed class BackgroundFileWriter : IDisposable
{
    private const int BlockSize = 1 << 20;
    private const int Blocks = 4;

    private readonly SafeFileHandle _file;
    private readonly BlockingCollection<(byte[] Block, int Length, long Offset)> _full = new(Blocks);
    private readonly BlockingCollection<byte[]> _free = new(Blocks);
    private readonly Task _drain;
    private byte[] _current;
    private int _used;
    private long _offset;
    private volatile Exception? _failure;

    public BackgroundFileWriter(SafeFileHandle file, long offset)
    {
        _file = file;
        _offset = offset;
        for (var i = 0; i < Blocks; i++) _free.Add(new byte[BlockSize]);
        _current = _free.Take();
        _drain = Task.Factory.StartNew(Drain, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>File offset just past the bytes written so far (queued or not).</summary>
    public long Position => _offset + _used;

    public void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = Math.Min(BlockSize - _used, data.Length);
            data[..n].CopyTo(_current.AsSpan(_used));
            _used += n;
            data = data[n..];
            if (_used == BlockSize) Submit();
        }
    }

    /// <summary>Writes what is left and waits until every block is in the file.</summary>
    public void Complete()
    {
        Submit();
        _full.CompleteAdding();
        _drain.GetAwaiter().GetResult();
        if (_failure is { } failure) throw new IOException($"writing the MP4 failed: {failure.Message}", failure);
    }

    private void Submit()
    {
        if (_failure is { } failure) throw new IOException($"writing the MP4 failed: {failure.Message}", failure);
        if (_used == 0) return;
        _full.Add((_current, _used, _offset));
        _offset += _used;
        _used = 0;
        _current = _free.Take();
    }

    private void Drain()
    {
        foreach (var (block, length, offset) in _full.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null) RandomAccess.Write(_file, block.AsSpan(0, length), offset);
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
            _free.Add(block);
        }
    }

    public void Dispose()
    {
        if (!_full.IsAddingCompleted) _full.CompleteAdding();
        try { _drain.GetAwaiter().GetResult(); } catch (Exception) { /* reported by Complete, or the remux already failed */ }
        _full.Dispose();
        _free.Dispose();
    }
}
