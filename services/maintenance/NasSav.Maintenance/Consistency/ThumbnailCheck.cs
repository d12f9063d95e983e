using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>A cover without all three thumbnails: apply asks catalog (which owns thumbnailing) to make them.</summary>
public sealed class ThumbnailCheck : IConsistencyCheck
{
    public string Name => "thumbnails";

    public async Task RunAsync(CheckContext context)
    {
        foreach (var r in context.Resources)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (!Avid.TryParse(r.Avid, out var avid, out _)) continue;
            if (await CoverLookup.FindAsync(context.Store, avid, context.Cancellation) is null) continue;
            var missing = new List<CheckIssue>();
            foreach (var size in Enum.GetValues<ThumbnailSize>())
            {
                var key = MediaKey.Thumbnail(size, avid);
                var info = await context.Store.GetInfoAsync(key, context.Cancellation);
                if (info is { Size: > 0 }) continue;
                missing.Add(context.Report(new CheckIssue
                {
                    Check = Name, Kind = "thumbnail_missing", Avid = avid.Value, Size = size.ToString().ToLowerInvariant(), Key = key.Value,
                }));
            }
            if (!context.Apply || missing.Count == 0) continue;
            var first = missing[0];
            await context.FixAsync(first, () => context.Library.RegenerateThumbnailsAsync(avid.Value, context.Cancellation));
            foreach (var other in missing.Skip(1))
            {
                other.Action = first.Action;
                other.Error = first.Error;
            }
        }
    }
}
