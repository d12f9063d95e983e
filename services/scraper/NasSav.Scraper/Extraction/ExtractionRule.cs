namespace NasSav.Scraper.Extraction;

/// <summary>
/// One configured extraction rule (docs/scraper-config.md, "Extraction rules"): a CSS selector and/or a
/// regular expression, optional transforms and a template. <see cref="Or"/> lists fallbacks tried in
/// order when this rule yields nothing.
/// </summary>
public sealed class ExtractionRule
{
    public string? Selector { get; set; }
    public string? Attribute { get; set; }
    public string? Regex { get; set; }
    public List<string>? Transforms { get; set; }
    public string? Template { get; set; }
    public bool Multiple { get; set; }
    public List<ExtractionRule>? Or { get; set; }

    public bool IsEmpty => Selector is null && Regex is null && Template is null && (Or is null || Or.Count == 0);
}
