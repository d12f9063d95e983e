namespace NasSav.Downloader.Engine.Playlists;

/// <summary>Which variant of a master playlist to download.</summary>
public static class VariantSelector
{
    /// <summary>
    /// The highest BANDWIDTH; with <paramref name="maxHeight"/>, the highest BANDWIDTH among variants
    /// no taller than it (variants without RESOLUTION do not qualify), or the shortest one when none does.
    /// </summary>
    public static Variant Select(MasterPlaylist master, int? maxHeight)
    {
        if (master.Variants.Count == 0) throw new HlsDownloadException($"master playlist {master.Url} lists no variants", kind: HlsFailure.UnsupportedStream);
        Variant chosen;
        if (maxHeight is { } max)
        {
            var fitting = master.Variants.Where(v => v.Height <= max).ToList();
            chosen = fitting.Count > 0
                ? Best(fitting)
                : master.Variants.OrderBy(v => v.Height ?? int.MaxValue).ThenByDescending(v => v.Bandwidth).First();
        }
        else
        {
            chosen = Best(master.Variants);
        }
        if (chosen.AudioGroup is { } group && master.AudioGroupsWithUri.Contains(group))
            throw new HlsDownloadException($"master playlist {master.Url}: the chosen variant takes its audio from separate renditions (AUDIO=\"{group}\"), which is not supported", kind: HlsFailure.UnsupportedStream);
        return chosen;
    }

    private static Variant Best(IEnumerable<Variant> variants) =>
        variants.OrderByDescending(v => v.Bandwidth).ThenByDescending(v => v.Height ?? 0).First();
}
