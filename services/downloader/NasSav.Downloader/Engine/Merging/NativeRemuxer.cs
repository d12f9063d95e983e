using System.Buffers;
using NasSav.Downloader.Engine.Merging.Native;

namespace NasSav.Downloader.Engine.Merging;

/// <summary>
/// The in-process remux of MPEG-TS (H.264 / AAC) to MP4: it reads each segment as soon as it and all
/// before it are on disk and writes samples straight into the MP4, index at the front. No second
/// process, no pipe, no second pass, so on a fast link the MP4 is done moments after the last
/// segment lands. A stream it does not handle throws <see cref="UnsupportedStreamException"/>, usually
/// on the first segment, and the caller lets ffmpeg remux instead.
/// </summary>
public sealed class NativeRemuxer
{
    private const int ReadChunk = 1 << 20;

    /// <remarks>
    /// A thread of its own, blocking while it waits for the next segment: on a pool thread its
    /// continuations would queue behind the fetch's, and on a fast link it would trail the download.
    /// </remarks>
    public Task<string> MergeAsync(SegmentPlan plan, string staging, Func<FetchItem, CancellationToken, Task> whenReady, CancellationToken ct) =>
        Task.Factory.StartNew(() =>
        {
            var temp = Path.Combine(staging, FfmpegRemuxer.TempFile);
            var buffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
            try
            {
                using (var remux = new TsToMp4(temp, FfmpegRemuxer.MoovReserve(plan.Playlist.Duration)))
                {
                    foreach (var item in plan.Items)
                    {
                        whenReady(item, ct).GetAwaiter().GetResult();
                        using var file = new FileStream(Path.Combine(staging, item.FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                        int n;
                        while ((n = file.Read(buffer, 0, ReadChunk)) > 0) remux.Feed(buffer.AsSpan(0, n));
                        ct.ThrowIfCancellationRequested();
                    }
                    remux.Finish();
                }
                var output = Path.Combine(staging, FfmpegRemuxer.OutputFile);
                File.Move(temp, output, overwrite: true);
                return output;
            }
            catch
            {
                try { File.Delete(temp); } catch (IOException) { }
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
