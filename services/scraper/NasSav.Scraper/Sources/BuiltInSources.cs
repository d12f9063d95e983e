using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.Sources;

/// <summary>
/// Rule sets for the peer's three sources (reference §4.4), used for a source named missav, jable or
/// memo wherever its configuration leaves a key out. MissAV's UUID comes from the packed-JS word
/// list; Memo's playlist URL is built from the AVID but, unlike the peer, only when the page names that
/// AVID, and it is verified.
/// </summary>
public static class BuiltInSources
{
    private static ExtractionRule OgImage => new() { Selector = "meta[property='og:image']", Attribute = "content" };

    public static SourceDefinition? For(string name) => name.Trim().ToLowerInvariant() switch
    {
        "missav" => new SourceDefinition
        {
            Name = "MissAV",
            Weight = 1000,
            Domain = "missav.ai",
            PageUrls =
            [
                "{scheme}://{domain}/cn/{avid_lower}-chinese-subtitle",
                "{scheme}://{domain}/{avid_lower}-chinese-subtitle",
                "{scheme}://{domain}/cn/{avid_lower}",
            ],
            Referer = "{scheme}://{domain}/search/{avid_lower}",
            M3u8 = new ExtractionRule
            {
                Regex = @"m3u8\|(?<uuid>[a-f0-9|]+)\|com\|surrit\|https\|video",
                Transforms = ["split:|", "reverse", "join:-"],
                Template = "https://surrit.com/{uuid}/playlist.m3u8",
            },
            Title = new ExtractionRule
            {
                Selector = "meta[property='og:title']",
                Attribute = "content",
                Regex = @"^[A-Z]+(?:-[A-Z]+)*-\d+\s*(?<value>.+)$",
            },
            PageAvid = new ExtractionRule
            {
                Selector = "meta[property='og:title']",
                Attribute = "content",
                Regex = @"^(?<value>[A-Z]+(?:-[A-Z]+)*-\d+)",
            },
            Cover = OgImage,
            VerifyM3u8 = true,
        },
        "jable" => new SourceDefinition
        {
            Name = "Jable",
            Weight = 800,
            Domain = "jable.tv",
            PageUrls = ["{scheme}://{domain}/videos/{avid_lower}/"],
            Referer = "{scheme}://{domain}/search/{avid_lower}",
            M3u8 = new ExtractionRule { Regex = @"var hlsUrl = ['""](?<value>[^'""]+)['""]" },
            Title = new ExtractionRule
            {
                Selector = "title",
                Regex = @"^[A-Z]+-\d+\s+(?<value>.+?)\s*-\s*Jable\.TV",
                Or =
                [
                    new ExtractionRule { Selector = "h4.title", Transforms = ["strip-avid"] },
                    new ExtractionRule { Selector = "span.font-medium", Transforms = ["strip-avid"] },
                ],
            },
            PageAvid = new ExtractionRule
            {
                Selector = "title",
                Regex = @"^(?<value>[A-Z]+-\d+)\s",
                Or = [new ExtractionRule { Selector = "span.inactive-color", Regex = @"^(?<value>[A-Z]+-\d+)$" }],
            },
            Cover = OgImage,
            VerifyM3u8 = false,
        },
        "memo" => new SourceDefinition
        {
            Name = "Memo",
            Weight = 600,
            Domain = "memojav.com",
            PageUrls = ["{scheme}://{domain}/video/{avid}", "{scheme}://{domain}/cn/{avid}", "{scheme}://{domain}/{avid}"],
            M3u8 = new ExtractionRule
            {
                Selector = "meta[property='og:title']",
                Attribute = "content",
                Regex = "(?i)(?<![A-Z0-9]){avid}(?![0-9])",
                Template = "https://video10.memojav.net/stream/{avid}/master.m3u8",
            },
            Title = new ExtractionRule { Selector = "meta[property='og:title']", Attribute = "content", Transforms = ["strip-avid"] },
            PageAvid = new ExtractionRule
            {
                Selector = "meta[property='og:title']",
                Attribute = "content",
                Regex = @"(?i)(?<![A-Z0-9])(?<value>[A-Z0-9]+(?:-[A-Z0-9]+)*-\d+)",
                Transforms = ["upper"],
            },
            Cover = OgImage,
            VerifyM3u8 = true,
        },
        _ => null,
    };

    public static readonly string[] KnownOrder = ["missav", "jable", "memo"];
}
