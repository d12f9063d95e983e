using NasSav.Contracts.Maintenance;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>
/// file_exists / file_size against video/{AVID}.mp4. Apply records what is on disk; a size-only difference keeps
/// the original download time (NASSAV overwrote it), a file that appeared gets its modification time.
/// </summary>
public sealed class VideoCheck : IConsistencyCheck
{
    public string Name => "videos";

    public async Task RunAsync(CheckContext context)
    {
        foreach (var r in context.Resources)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (!Avid.TryParse(r.Avid, out var avid, out _)) continue;
            var file = await context.Store.GetInfoAsync(MediaKey.Video(avid), context.Cancellation);
            string? kind = (r.FileExists, file) switch
            {
                (true, null) => "video_missing",
                (false, not null) => "video_exists_but_false",
                (true, not null) when r.FileSize != file.Size => "file_size_mismatch",
                _ => null,
            };
            if (kind is null) continue;
            var issue = context.Report(new CheckIssue
            {
                Check = Name, Kind = kind, Avid = avid.Value, Key = MediaKey.Video(avid).Value,
                DbFileExists = r.FileExists, Mp4Exists = file is not null, DbFileSize = r.FileSize, Mp4Size = file?.Size,
            });
            if (!context.Apply) continue;
            var command = file is null
                ? new SetVideoFile { Avid = avid.Value, Exists = false }
                : new SetVideoFile { Avid = avid.Value, Exists = true, Size = file.Size, SavedAt = file.LastModified.UtcDateTime };
            await context.FixAsync(issue, () => context.Library.SetVideoAsync(command, context.Cancellation));
        }
    }
}
