using NasSav.Downloader.Engine;
using NasSav.Media.Avids;
using NasSav.Coordination.Locking;
using NasSav.Media.Storage;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// The finish of an attempt: verify the MP4 and move it into the media store as <c>video/{AVID}.mp4</c>, only while
/// the attempt's epoch is still current (the epoch row stays locked meanwhile, so no newer holder can take over
/// between the check and the move).
/// </summary>
public sealed class FencedMove(IFencingEpochs epochs, IMediaStore media)
{
    /// <returns>The stored file, or null when the epoch is stale (nothing moved).</returns>
    /// <exception cref="HlsDownloadException">the finished file is missing or not the size the engine reported.</exception>
    public async Task<MediaInfo?> TryMoveAsync(Avid avid, long epoch, HlsDownloadResult result, CancellationToken ct)
    {
        MediaInfo? moved = null;
        var current = await epochs.RunIfCurrentAsync(DownloadKeys.Lease, epoch, async _ =>
        {
            var file = new FileInfo(result.Mp4Path);
            if (!file.Exists) throw new HlsDownloadException($"the finished file {result.Mp4Path} is missing");
            if (file.Length == 0 || file.Length != result.Size)
                throw new HlsDownloadException($"the finished file {result.Mp4Path} is {file.Length} bytes, the engine reported {result.Size}");
            // Not cancellable: once started, the move must complete while the epoch row is held.
            var info = await media.MoveInAsync(MediaKey.Video(avid), result.Mp4Path, CancellationToken.None);
            if (info.Size != file.Length)
                throw new IOException($"video/{avid}.mp4 is {info.Size} bytes after the move, expected {file.Length}");
            moved = info;
        }, ct);
        return current ? moved : null;
    }
}
