using System.Globalization;
using System.Xml.Linq;

namespace NasSav.Maintenance.Tests.Export;

/// <summary>
/// movie.nfo read the way the media servers read it: Kodi's <c>CVideoInfoTag::ParseNative</c> and Jellyfin's
/// <c>BaseNfoParser</c>/<c>MovieNfoParser</c> (Emby's reader is Jellyfin's ancestor): a <c>&lt;movie&gt;</c> root,
/// elements by name directly under it, runtime as whole minutes, premiered as yyyy-MM-dd, year as a number, the series
/// as <c>&lt;set&gt;&lt;name&gt;</c>, actors as <c>&lt;actor&gt;</c> with name/role/order/thumb children, provider ids
/// as <c>&lt;uniqueid type=…&gt;</c>. A value in the wrong form or place is what they would drop.
/// </summary>
public sealed record NfoMovie(
    string Title, string? OriginalTitle, string? SortTitle, string? Plot, int? RuntimeMinutes, DateOnly? Premiered, int? Year,
    IReadOnlyList<string> Studios, string? Set, IReadOnlyList<string> Directors, IReadOnlyList<string> Genres, IReadOnlyList<string> Tags,
    IReadOnlyList<NfoActor> Actors, IReadOnlyDictionary<string, string> UniqueIds, string? DefaultUniqueIdType, string? DateAdded, string? Mpaa)
{
    /// <summary>Elements directly under &lt;movie&gt; that Kodi or Jellyfin read (the subset a movie export uses).</summary>
    public static readonly IReadOnlySet<string> KnownElements = new HashSet<string>(StringComparer.Ordinal)
    {
        "title", "originaltitle", "sorttitle", "plot", "outline", "runtime", "premiered", "releasedate", "year", "studio",
        "set", "director", "genre", "tag", "actor", "uniqueid", "dateadded", "mpaa", "thumb", "fanart",
    };

    public static NfoMovie Read(XDocument doc)
    {
        var movie = doc.Root!;
        Assert.Equal("movie", movie.Name.LocalName);
        string? One(string name) => movie.Elements(name).Select(e => e.Value).FirstOrDefault();
        IReadOnlyList<string> All(string name) => movie.Elements(name).Select(e => e.Value).ToList();
        int? Int(string name) => One(name) is { } v ? int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        return new NfoMovie(
            One("title") ?? throw new InvalidOperationException("no <title>"),
            One("originaltitle"), One("sorttitle"), One("plot"), Int("runtime"),
            One("premiered") is { } p ? DateOnly.ParseExact(p, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            Int("year"), All("studio"),
            movie.Element("set")?.Element("name")?.Value,
            All("director"), All("genre"), All("tag"),
            movie.Elements("actor").Select(a => new NfoActor(
                a.Element("name")?.Value ?? throw new InvalidOperationException("<actor> without <name>"),
                a.Element("role")?.Value,
                a.Element("order") is { } o ? int.Parse(o.Value, NumberStyles.None, CultureInfo.InvariantCulture) : null,
                a.Element("thumb")?.Value)).ToList(),
            movie.Elements("uniqueid").ToDictionary(u => u.Attribute("type")?.Value ?? throw new InvalidOperationException("<uniqueid> without type"), u => u.Value),
            movie.Elements("uniqueid").FirstOrDefault(u => u.Attribute("default")?.Value == "true")?.Attribute("type")?.Value,
            One("dateadded"), One("mpaa"));
    }
}

public sealed record NfoActor(string Name, string? Role, int? Order, string? Thumb);
