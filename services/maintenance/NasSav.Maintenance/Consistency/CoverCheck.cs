using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>cover_filename set but no cover/{AVID}.{jpg,jpeg,png,webp}: apply clears cover_filename.</summary>
public sealed class CoverCheck : IConsistencyCheck
{
    public string Name => "covers";

    public async Task RunAsync(CheckContext context)
    {
        foreach (var r in context.Resources)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (string.IsNullOrEmpty(r.CoverFilename) || !Avid.TryParse(r.Avid, out var avid, out _)) continue;
            if (await CoverLookup.FindAsync(context.Store, avid, context.Cancellation) is not null) continue;
            var issue = context.Report(new CheckIssue { Check = Name, Kind = "cover_missing", Avid = avid.Value, Key = $"cover/{r.CoverFilename}" });
            if (context.Apply) await context.FixAsync(issue, () => context.Library.ClearCoverAsync(avid.Value, context.Cancellation));
        }
    }
}

internal static class CoverLookup
{
    public static async Task<MediaInfo?> FindAsync(IMediaStore store, Avid avid, CancellationToken ct)
    {
        foreach (var extension in MediaKey.CoverExtensions)
            if (await store.GetInfoAsync(MediaKey.Cover(avid, extension), ct) is { } info) return info;
        return null;
    }
}
