using System.Globalization;
using System.Text;
using System.Xml;
using NasSav.Contracts.Export;

namespace NasSav.Maintenance.Export;

/// <summary>
/// movie.nfo in the layout Kodi's movie reader (CVideoInfoTag) and Jellyfin/Emby's MovieNfoParser read: a
/// <c>&lt;movie&gt;</c> root; title, originaltitle, sorttitle, plot (when known), runtime in minutes, premiered and
/// releasedate (YYYY-MM-DD), year, studio, the series as <c>&lt;set&gt;&lt;name&gt;</c>, director, each genre both as
/// genre and tag, actors with name, role, order and their avatar as thumb, the AVID as
/// <c>&lt;uniqueid type="nassav" default="true"&gt;</c>, dateadded. UTF-8 without a BOM, standalone.
/// <c>&lt;label&gt;</c> has no reader field; it is written for people and tools that read the file.
/// </summary>
public static class MovieNfo
{
    public const string FileName = "movie.nfo";
    public const string UniqueIdType = "nassav";

    public sealed record Settings(string Title, string? PublicUrl, string? Rating);

    public static string Write(ResourceDetail d, Settings s)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(new Utf8StringWriter(sb), new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartDocument(standalone: true);
            w.WriteStartElement("movie");
            Element(w, "title", s.Title);
            Element(w, "originaltitle", d.OriginalTitle.Length > 0 ? d.OriginalTitle : s.Title);
            Element(w, "sorttitle", d.Avid);
            Element(w, "plot", d.Plot);
            if (d.DurationSeconds is > 0 and var seconds)
                Element(w, "runtime", ((int)Math.Round(seconds / 60.0)).ToString(CultureInfo.InvariantCulture));
            if (DateOnly.TryParseExact(d.ReleaseDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var released))
            {
                Element(w, "premiered", released.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Element(w, "releasedate", released.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Element(w, "year", released.Year.ToString(CultureInfo.InvariantCulture));
            }
            Element(w, "mpaa", s.Rating);
            Element(w, "studio", d.Studio);
            Element(w, "label", d.Label);
            if (!string.IsNullOrWhiteSpace(d.Series))
            {
                w.WriteStartElement("set");
                Element(w, "name", d.Series);
                w.WriteEndElement();
            }
            Element(w, "director", d.Director);
            foreach (var g in d.Genres) Element(w, "genre", g);
            foreach (var g in d.Genres) Element(w, "tag", g);
            for (var i = 0; i < d.Actors.Count; i++)
            {
                var a = d.Actors[i];
                w.WriteStartElement("actor");
                Element(w, "name", a.Name);
                Element(w, "role", "Actress");
                Element(w, "order", i.ToString(CultureInfo.InvariantCulture));
                Element(w, "thumb", Thumb(a, s.PublicUrl));
                w.WriteEndElement();
            }
            w.WriteStartElement("uniqueid");
            w.WriteAttributeString("type", UniqueIdType);
            w.WriteAttributeString("default", "true");
            w.WriteString(d.Avid);
            w.WriteEndElement();
            var added = d.VideoSavedAt ?? d.CreatedAt;
            if (added != default) Element(w, "dateadded", added.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>NasSav's own avatar URL when the picture is stored and a public URL is known, else the site's picture.</summary>
    private static string? Thumb(ResourceDetailActor a, string? publicUrl) =>
        !string.IsNullOrEmpty(publicUrl) && !string.IsNullOrEmpty(a.AvatarFilename)
            ? $"{publicUrl.TrimEnd('/')}/nassav/api/actors/{a.Id.ToString(CultureInfo.InvariantCulture)}/avatar"
            : a.AvatarUrl;

    private static void Element(XmlWriter w, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        w.WriteElementString(name, Xml(value.Trim()));
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters a scraped title may hold) are dropped, never a broken file.</summary>
    private static string Xml(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i])) { sb.Append(value, i, 2); i++; }
            else if (XmlConvert.IsXmlChar(value[i])) sb.Append(value[i]);
        }
        return sb.ToString();
    }

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
