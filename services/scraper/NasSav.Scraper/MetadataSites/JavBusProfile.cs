using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.MetadataSites;

/// <summary>
/// The JavBus-style layout (reference §4.5), as rules. The description meta carries date, length and
/// the title after "(AVID)"; the header spans carry the same and studio/label/series/director; actors
/// come from the avatar boxes with the full name in the image title (the span text can be truncated).
/// </summary>
public static class JavBusProfile
{
    public const string Name = "javbus";

    private const string Description = "meta[name='description']";

    private static ExtractionRule Header(string label) => new()
    {
        Regex = $@"<span class=""header"">\s*{label}:?\s*</span>\s*<a[^>]*>\s*(?<value>[^<]+?)\s*</a>",
    };

    public static MetadataRules Rules => new()
    {
        PageAvid = new ExtractionRule
        {
            Regex = @"<span class=""header"">\s*識別碼:?\s*</span>\s*<span[^>]*>\s*(?<value>[^<\s]+)\s*</span>",
            Transforms = ["upper"],
            Or = [new ExtractionRule { Selector = Description, Attribute = "content", Regex = @"\((?<value>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\)", Transforms = ["upper"] }],
        },
        Title = new ExtractionRule
        {
            Selector = Description,
            Attribute = "content",
            Regex = @"(?i)\({avid}\)\s*(?<value>.+?)\s*$",
            Or =
            [
                new ExtractionRule { Selector = "div.container > h3", Transforms = ["strip-avid"] },
                new ExtractionRule { Selector = "title", Regex = @"(?i)^(?<value>.+?)(?:\s*[-|]\s*JavBus.*)?$", Transforms = ["strip-avid"] },
            ],
        },
        ReleaseDate = new ExtractionRule
        {
            Selector = Description,
            Attribute = "content",
            Regex = @"【發行日期】\s*(?<value>\d{4}-\d{2}-\d{2})",
            Or = [new ExtractionRule { Regex = @"<span class=""header"">\s*發行日期:?\s*</span>\s*(?<value>\d{4}-\d{2}-\d{2})" }],
        },
        Duration = new ExtractionRule
        {
            Selector = Description,
            Attribute = "content",
            Regex = @"【長度】\s*(?<value>\d+)\s*分鐘",
            Or = [new ExtractionRule { Regex = @"<span class=""header"">\s*長度:?\s*</span>\s*(?<value>\d+)\s*分鐘" }],
        },
        Studio = Header("製作商"),
        Label = Header("發行商"),
        Series = Header("系列"),
        Director = Header("導演"),
        Genres = new ExtractionRule { Selector = "span.genre label a", Multiple = true },
        ActorNames = new ExtractionRule
        {
            Selector = "a.avatar-box img",
            Attribute = "title",
            Multiple = true,
            Or = [new ExtractionRule { Selector = "a.avatar-box span", Multiple = true }],
        },
        ActorAvatars = new ExtractionRule { Selector = "a.avatar-box img", Attribute = "src", Multiple = true },
        Cover = new ExtractionRule { Selector = "a.bigImage", Attribute = "href" },
    };

    public static readonly (string Name, string Domain)[] Defaults =
        [("JavBus", "www.javbus.com"), ("Busdmm", "www.busdmm.ink"), ("Dmmsee", "www.dmmsee.bond")];
}
