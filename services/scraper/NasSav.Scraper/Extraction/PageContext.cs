using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace NasSav.Scraper.Extraction;

/// <summary>A fetched page as the rules see it: the parsed document, its raw text and its URL.</summary>
public sealed class PageContext
{
    private static readonly HtmlParser Parser = new();

    public PageContext(string html, Uri pageUri, string avid, Func<string, string?> variables)
    {
        Html = html;
        PageUri = pageUri;
        Avid = avid;
        Variables = variables;
        Document = Parser.ParseDocument(html);
    }

    public IDocument Document { get; }
    public string Html { get; }
    public Uri PageUri { get; }
    public string Avid { get; }
    /// <summary>Template variables beyond a rule's own groups ({scheme}, {domain}, {avid}, {avid_lower}).</summary>
    public Func<string, string?> Variables { get; }

    /// <summary>An absolute http(s) URL for a rule value, resolved against the page; null when it is not one.</summary>
    public string? ResolveUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (!Uri.TryCreate(PageUri, value, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        return uri.AbsoluteUri;
    }
}
