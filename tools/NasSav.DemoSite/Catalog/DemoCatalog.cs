using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NasSav.DemoSite.Catalog;

/// <summary>
/// The AVIDs the site serves: <c>{Prefix}-001</c> … <c>{Prefix}-{Count:000}</c> plus the switch AVIDs
/// (see tools/NasSav.DemoSite/README.md). Every value is derived from the AVID with SHA-256, so the
/// same AVID gives the same data in every process and on every machine.
/// </summary>
public sealed class DemoCatalog
{
    private readonly Dictionary<string, DemoTitle> _byAvid = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DemoTitle> _byUuid = new(StringComparer.OrdinalIgnoreCase);

    public DemoCatalog(string prefix, int count)
    {
        Prefix = prefix.Trim().ToUpperInvariant();
        var all = new List<DemoTitle>();
        for (var n = 1; n <= count; n++) all.Add(Numbered(n));
        all.AddRange(Switches());
        foreach (var t in all)
        {
            _byAvid[t.Avid] = t;   // a switch AVID wins over a numbered one of the same name
            _byUuid[t.Uuid] = t;
        }
        Titles = [.. _byAvid.Values];
    }

    public string Prefix { get; }
    /// <summary>Numbered AVIDs first, then the switch AVIDs.</summary>
    public IReadOnlyList<DemoTitle> Titles { get; }
    public IReadOnlyList<DemoActor> Actors => Pools.Actors;

    /// <summary>The AVID whose page <see cref="MetadataKind.OtherAvid"/> AVIDs get instead of their own.</summary>
    public string OtherAvid => $"{Prefix}-001";

    public DemoTitle? Find(string avid) => _byAvid.GetValueOrDefault(avid.Trim());
    public DemoTitle? FindByUuid(string uuid) => _byUuid.GetValueOrDefault(uuid);
    public DemoActor? FindActor(string id) => Pools.Actors.FirstOrDefault(a => a.Id == id);

    /// <summary>The page a metadata request for <paramref name="title"/> shows (another AVID's for OtherAvid).</summary>
    public DemoTitle? MetadataPageFor(DemoTitle title) => title.Metadata switch
    {
        MetadataKind.Normal => title,
        MetadataKind.OtherAvid => Find(OtherAvid) ?? Create($"{Prefix}-001", 1),
        _ => null,
    };

    private DemoTitle Numbered(int n) => Create($"{Prefix}-{n.ToString("000", CultureInfo.InvariantCulture)}", n) with
    {
        Stream = n % 3 == 0 ? StreamKind.Aes : n % 5 == 0 ? StreamKind.Master : StreamKind.Plain,
        HasSubtitlePage = n % 2 == 0,
    };

    private IEnumerable<DemoTitle> Switches()
    {
        (string Suffix, Failure Failure)[] failures =
        [
            ("403", Failure.Forbidden), ("404", Failure.NotFound), ("500", Failure.ServerError),
            ("SLOW", Failure.Slow), ("JUNK", Failure.Junk),
        ];
        foreach (var (suffix, failure) in failures)
        {
            // Every source fails: the add answers with that failure.
            yield return Create($"{Prefix}-{suffix}", null) with
            {
                PrimaryFailure = failure,
                SecondaryFailure = failure,
                Metadata = failure == Failure.NotFound ? MetadataKind.Missing : MetadataKind.Normal,
            };
            // Only the first source fails: the second (lower weight) one serves the AVID.
            yield return Create($"{Prefix}-FB-{suffix}", null) with { PrimaryFailure = failure };
        }
        yield return Create($"{Prefix}-WRONG", null) with { Metadata = MetadataKind.OtherAvid };
        yield return Create($"{Prefix}-NOMETA", null) with { Metadata = MetadataKind.Missing };
    }

    private static DemoTitle Create(string avid, int? number)
    {
        var pick = new Picker(avid);
        var episode = number ?? 100 + pick.Next(900);
        int place = pick.Next(Pools.PlacesJa.Length), subject = pick.Next(Pools.SubjectsJa.Length), ending = pick.Next(Pools.EndingsJa.Length);

        var actors = pick.Distinct(1 + pick.Next(3), Pools.Actors.Length - 1).Select(i => Pools.Actors[i]).ToList();
        if (number % 8 == 4) actors.Add(Pools.Actors[^1]);   // 004, 012, 020…: one actor has only the placeholder avatar

        var genres = pick.Distinct(2 + pick.Next(3), Pools.Genres.Length).Select(i => Pools.Genres[i]).ToList();
        var technical = pick.Distinct(1 + pick.Next(2), Pools.TechnicalGenres.Length).Select(i => Pools.TechnicalGenres[i]).ToList();
        genres.Insert(0, technical[0]);
        if (technical.Count > 1) genres.Add(technical[1]);

        var uuidHex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("uuid:" + avid)));
        return new DemoTitle
        {
            Avid = avid,
            Number = number,
            TitleJa = $"{Pools.PlacesJa[place]}で出会った{Pools.SubjectsJa[subject]}{Pools.EndingsJa[ending]} 第{episode}話",
            TitleZh = $"在{Pools.PlacesZh[place]}遇见的{Pools.SubjectsZh[subject]}：{Pools.EndingsZh[ending]} 第{episode}集",
            ReleaseDate = new DateOnly(2019, 1, 1).AddDays(pick.Next(2000)),
            DurationMinutes = 60 + pick.Next(121),
            Studio = Pools.Studios[pick.Next(Pools.Studios.Length)],
            Label = Pools.Labels[pick.Next(Pools.Labels.Length)],
            Series = Pools.Series[pick.Next(Pools.Series.Length)],
            Director = Pools.Directors[pick.Next(Pools.Directors.Length)],
            Actors = actors,
            Genres = genres,
            Stream = StreamKind.Plain,
            Uuid = $"{uuidHex[..8]}-{uuidHex[8..12]}-{uuidHex[12..16]}-{uuidHex[16..20]}-{uuidHex[20..32]}",
            Hue = pick.Next(360),
        };
    }

    /// <summary>Deterministic choices from SHA-256("{avid}:{i}"); unlike System.Random stable across .NET versions.</summary>
    private sealed class Picker(string seed)
    {
        private int _i;

        public int Next(int max)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{_i++}"));
            return (int)(BitConverter.ToUInt32(hash, 0) % (uint)max);
        }

        /// <summary><paramref name="count"/> distinct indexes below <paramref name="max"/>, in pick order.</summary>
        public List<int> Distinct(int count, int max)
        {
            var result = new List<int>();
            while (result.Count < Math.Min(count, max))
            {
                var i = Next(max);
                if (!result.Contains(i)) result.Add(i);
            }
            return result;
        }
    }
}
