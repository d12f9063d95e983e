using System.Buffers.Binary;
using System.Globalization;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Engine.Merging;

/// <summary>
/// ffprobe for the MP4's duration, started when the download starts: it waits on stdin while the
/// segments arrive, and is then given only the file's head up to the end of the moov (the index is at
/// the front). Its start-up (~0.1 s here, most of a probe) is then off the critical path. When the
/// index is not at the front or this probe gives no answer, the caller probes the file as usual.
/// </summary>
public sealed class DurationProbe : IAsyncDisposable
{
    private readonly TaskCompletionSource<string> _file = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop;
    private readonly Task<ProcessResult> _run;

    private DurationProbe(MediaToolOptions tools, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _run = ProcessRunner.RunAsync(new ProcessSpec(tools.FfprobePath,
            // fatal only: the media data is left out on purpose, and ffprobe would report it as a partial file.
            ["-v", "fatal", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", "-f", "mp4", "-i", "pipe:0"])
        {
            CaptureStdout = true,
            Timeout = TimeSpan.FromHours(6),
            StandardInput = async (stdin, token) =>
            {
                var path = await _file.Task.WaitAsync(token).ConfigureAwait(false);
                if (IndexEnd(path) is not { } end) return;
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                var head = new byte[end];
                await file.ReadExactlyAsync(head, token).ConfigureAwait(false);
                await stdin.WriteAsync(head, token).ConfigureAwait(false);
            },
        }, _stop.Token);
    }

    public static DurationProbe Start(MediaToolOptions tools, CancellationToken ct) => new(tools, ct);

    /// <summary>The duration ffprobe reads from the index of <paramref name="mp4"/>; null when it could not.</summary>
    public async Task<TimeSpan?> DurationAsync(string mp4)
    {
        _file.TrySetResult(mp4);
        try
        {
            var result = await _run.ConfigureAwait(false);
            return result.Succeeded && double.TryParse(result.Stdout.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }
        catch (ProcessRunException)
        {
            return null;
        }
    }

    /// <summary>Where the moov ends, when it comes before the mdat; null otherwise.</summary>
    internal static long? IndexEnd(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> header = stackalloc byte[16];
        long position = 0;
        while (position + 8 <= file.Length)
        {
            file.Position = position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header.Slice(4, 4);
            if (size == 1)
            {
                file.ReadExactly(header[8..]);
                size = BinaryPrimitives.ReadInt64BigEndian(header[8..]);
            }
            if (size < 8 || type.SequenceEqual("mdat"u8)) return null;
            if (type.SequenceEqual("moov"u8)) return position + size <= file.Length ? position + size : null;
            position += size;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _run.ConfigureAwait(false); }
        catch (Exception) { /* a probe never used, or already answered */ }
        _stop.Dispose();
    }
}
