using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace NasSav.Scraper.Extraction;

/// <summary>
/// An <see cref="ExtractionRule"/> checked and compiled at start. Evaluation never throws on page
/// content: a missing element, a failed match or a regex timeout is "no value".
/// </summary>
public sealed partial class CompiledRule
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private static readonly HtmlParser SelectorCheck = new();

    private readonly string? _selector;
    private readonly string? _attribute;
    private readonly string? _pattern;
    private readonly Regex? _regex;            // null when the pattern contains {avid}: compiled per AVID
    private readonly IReadOnlyList<Transforms.Step> _transforms;
    private readonly string? _template;
    private readonly IReadOnlyList<string> _templateNames;
    private readonly bool _multiple;
    private readonly IReadOnlyList<CompiledRule> _or;

    private CompiledRule(ExtractionRule rule, Regex? regex, IReadOnlyList<Transforms.Step> transforms, IReadOnlyList<CompiledRule> or)
    {
        _selector = string.IsNullOrWhiteSpace(rule.Selector) ? null : rule.Selector;
        _attribute = string.IsNullOrWhiteSpace(rule.Attribute) ? null : rule.Attribute;
        _pattern = string.IsNullOrEmpty(rule.Regex) ? null : rule.Regex;
        _regex = regex;
        _transforms = transforms;
        _template = string.IsNullOrEmpty(rule.Template) ? null : rule.Template;
        _templateNames = _template is null ? [] : Templates.Names(_template);
        _multiple = rule.Multiple;
        _or = or;
    }

    /// <summary>Compiles a rule; problems are added to <paramref name="errors"/> with the key path.</summary>
    public static CompiledRule? Compile(ExtractionRule? rule, string path, ICollection<string> errors)
    {
        if (rule is null) return null;
        var before = errors.Count;
        if (rule.IsEmpty) errors.Add($"{path}: a rule needs a Selector, a Regex or a Template");
        if (!string.IsNullOrWhiteSpace(rule.Selector))
        {
            try { SelectorCheck.ParseDocument("<html></html>").QuerySelector(rule.Selector); }
            catch (Exception e) when (e is DomException or ArgumentException or InvalidOperationException)
            {
                errors.Add($"{path}:Selector '{rule.Selector}' is not a valid CSS selector ({e.Message})");
            }
        }
        Regex? regex = null;
        if (!string.IsNullOrEmpty(rule.Regex))
        {
            try
            {
                var probe = Build(Templates.ExpandRegex(rule.Regex, "ABC-123"));
                if (!rule.Regex.Contains("{avid", StringComparison.Ordinal)) regex = probe;
            }
            catch (ArgumentException e)
            {
                errors.Add($"{path}:Regex '{rule.Regex}' is not a valid regular expression ({e.Message})");
            }
        }
        var steps = new List<Transforms.Step>();
        for (var i = 0; i < (rule.Transforms?.Count ?? 0); i++)
        {
            var step = Extraction.Transforms.Parse(rule.Transforms![i], out var error);
            if (step is null) errors.Add($"{path}:Transforms:{i}: {error}");
            else steps.Add(step);
        }
        var or = new List<CompiledRule>();
        for (var i = 0; i < (rule.Or?.Count ?? 0); i++)
        {
            var compiled = Compile(rule.Or![i], $"{path}:Or:{i}", errors);
            if (compiled is not null) or.Add(compiled);
        }
        return errors.Count > before ? null : new CompiledRule(rule, regex, steps, or);
    }

    private static Regex Build(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, MatchTimeout);

    /// <summary>The first value, or null.</summary>
    public string? First(PageContext page)
    {
        foreach (var value in Values(page, alignToElements: false))
            if (value is not null) return value;
        foreach (var alt in _or)
            if (alt.First(page) is { } value) return value;
        return null;
    }

    /// <summary>
    /// Every value (for <c>Multiple</c> rules). With a selector the list is aligned to the selected
    /// elements (null where an element gave nothing), so two rules on the same elements pair up.
    /// </summary>
    public IReadOnlyList<string?> All(PageContext page)
    {
        var own = Values(page, alignToElements: true).ToList();
        foreach (var alt in _or)
        {
            if (own.All(v => v is null))
            {
                own = alt.All(page).ToList();
                continue;
            }
            var other = alt.All(page);
            if (other.Count == own.Count)
                for (var i = 0; i < own.Count; i++) own[i] ??= other[i];
        }
        return own;
    }

    private IEnumerable<string?> Values(PageContext page, bool alignToElements)
    {
        if (_selector is not null)
        {
            IEnumerable<IElement> elements;
            try
            {
                elements = _multiple ? page.Document.QuerySelectorAll(_selector)
                    : page.Document.QuerySelector(_selector) is { } one ? [one] : [];
            }
            catch (DomException) { yield break; }
            foreach (var element in elements)
            {
                var input = _attribute is null ? Collapse(element.TextContent) : element.GetAttribute(_attribute);
                var result = input is null ? null : Apply(input, page, allMatches: false, decode: false).FirstOrDefault();
                if (result is not null || alignToElements) yield return result;
            }
            yield break;
        }
        if (_pattern is not null)
        {
            foreach (var value in Apply(page.Html, page, allMatches: _multiple, decode: true)) yield return value;
            yield break;
        }
        // A template alone (e.g. a URL built from the AVID).
        if (Finish(new Dictionary<string, string>(), page) is { } built) yield return built;
    }

    private IEnumerable<string> Apply(string input, PageContext page, bool allMatches, bool decode)
    {
        if (_pattern is null)
        {
            if (Finish(new Dictionary<string, string> { ["value"] = input }, page) is { } plain) yield return plain;
            yield break;
        }
        var regex = _regex ?? Build(Templates.ExpandRegex(_pattern, page.Avid));
        IEnumerable<Match> matches;
        try
        {
            matches = allMatches ? regex.Matches(input).ToList() : regex.Match(input) is { Success: true } m ? [m] : [];
        }
        catch (RegexMatchTimeoutException) { yield break; }
        foreach (var match in matches)
        {
            var groups = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in regex.GetGroupNames())
            {
                if (int.TryParse(name, out _)) continue;
                var g = match.Groups[name];
                if (g.Success) groups[name] = decode ? WebUtility.HtmlDecode(g.Value) : g.Value;
            }
            if (!groups.ContainsKey("value"))
            {
                var g = match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1] : match.Groups[0];
                groups["value"] = decode ? WebUtility.HtmlDecode(g.Value) : g.Value;
            }
            if (Finish(groups, page) is { } result) yield return result;
        }
    }

    private string? Finish(Dictionary<string, string> groups, PageContext page)
    {
        var transformed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, raw) in groups)
        {
            object value = raw;
            foreach (var step in _transforms) value = step(value, page.Avid);
            transformed[name] = value is List<string> list ? string.Concat(list) : (string)value;
        }
        string? result;
        if (_template is not null)
        {
            string? Lookup(string n) => transformed.TryGetValue(n, out var v) ? v : page.Variables(n);
            if (_templateNames.Any(n => Lookup(n) is null)) return null;
            result = Templates.Expand(_template, Lookup);
        }
        else result = transformed.GetValueOrDefault("value");
        result = result?.Trim();
        return string.IsNullOrEmpty(result) ? null : result;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();
}
