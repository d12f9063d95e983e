using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.Sources;

/// <summary>
/// Reads the sources from <c>Sources:</c> (list, or a map keyed by name) or NASSAV's <c>Source:</c> map;
/// the peer's three when neither is set. A source named missav, jable or memo takes the built-in value
/// of every key it leaves out. Everything is checked here; <see cref="SourcesValidator"/> reports the
/// problems at start, each naming its key.
/// </summary>
public sealed class SourcesSetup(IConfiguration configuration) : IConfigureOptions<ScraperSourcesOptions>
{
    public const string Section = "Sources";
    public const string NassavSection = "Source";

    public void Configure(ScraperSourcesOptions options)
    {
        var list = configuration.GetSection(Section);
        var map = configuration.GetSection(NassavSection);
        var section = list.GetChildren().Any() ? list : map.GetChildren().Any() ? map : null;
        var entries = new List<(string Path, SourceDefinition Definition)>();
        if (section is null)
        {
            foreach (var name in BuiltInSources.KnownOrder) entries.Add(($"{Section}({name}, default)", BuiltInSources.For(name)!));
        }
        else
        {
            var children = section.GetChildren().ToList();
            var isList = children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));
            if (!isList)
            {
                // Map form: configuration sorts keys; the peer's order for its names, the rest after.
                children = children.OrderBy(c => Array.IndexOf(BuiltInSources.KnownOrder, c.Key.ToLowerInvariant()) is var i && i >= 0 ? i : 99)
                    .ThenBy(c => c.Key, StringComparer.OrdinalIgnoreCase).ToList();
            }
            foreach (var child in children)
            {
                var definition = new SourceDefinition();
                try
                {
                    child.Bind(definition);
                }
                catch (InvalidOperationException e)
                {
                    options.Errors.Add($"{child.Path}: {e.Message}");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(definition.Name) && !isList) definition.Name = child.Key;
                entries.Add((child.Path, definition));
            }
        }

        var order = 0;
        foreach (var (path, definition) in entries)
        {
            var source = Compile(path, definition, order++, options.Errors);
            if (source is null) continue;
            if (options.Items.Any(s => s.Key == source.Key))
                options.Errors.Add($"{path}:Name '{source.Name}' is configured twice (names are case-insensitive)");
            else options.Items.Add(source);
        }
    }

    internal static ScraperSource? Compile(string path, SourceDefinition d, int order, List<string> errors)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(d.Name))
        {
            errors.Add($"{path}:Name is required");
            return null;
        }
        var builtIn = BuiltInSources.For(d.Name);
        var name = builtIn is not null && d.Name.Trim().Equals(builtIn.Name, StringComparison.OrdinalIgnoreCase) ? builtIn.Name : d.Name.Trim();
        if (d.Weight < 0) errors.Add($"{path}:Weight '{d.Weight}' must be a whole number >= 0");
        var domain = (string.IsNullOrWhiteSpace(d.Domain) ? builtIn?.Domain : d.Domain)?.Trim().TrimEnd('/') ?? "";
        var scheme = (d.Scheme ?? builtIn?.Scheme ?? "https").Trim().ToLowerInvariant();
        if (scheme is not ("http" or "https")) errors.Add($"{path}:Scheme '{d.Scheme}' must be http or https");
        if (d.Weight > 0 && domain.Length == 0) errors.Add($"{path}:Domain is required");
        else if (domain.Contains('/') || domain.Contains(' ')) errors.Add($"{path}:Domain '{domain}' must be host[:port] without a scheme or path");

        var pageUrls = d.PageUrls is { Count: > 0 } ? d.PageUrls : builtIn?.PageUrls ?? [];
        var variables = Templates.Site(scheme, domain.Length == 0 ? "example.com" : domain, "ABC-123");
        if (d.Weight > 0 && pageUrls.Count == 0) errors.Add($"{path}:PageUrls needs at least one URL template (e.g. \"{{scheme}}://{{domain}}/v/{{avid_lower}}\")");
        for (var i = 0; i < pageUrls.Count; i++)
            CheckUrlTemplate(pageUrls[i], $"{path}:PageUrls:{i}", variables, errors);
        var referer = d.Referer ?? builtIn?.Referer;
        if (!string.IsNullOrWhiteSpace(referer)) CheckUrlTemplate(referer, $"{path}:Referer", variables, errors);

        var m3u8 = CompiledRule.Compile(d.M3u8 ?? builtIn?.M3u8, $"{path}:M3u8", errors);
        if (d.M3u8 is null && builtIn is null)
            errors.Add($"{path}:M3u8 is required (there is no built-in rule set for '{name}'; built-ins: missav, jable, memo)");
        var title = CompiledRule.Compile(d.Title ?? builtIn?.Title, $"{path}:Title", errors);
        var cover = CompiledRule.Compile(d.Cover ?? builtIn?.Cover, $"{path}:Cover", errors);
        var pageAvid = CompiledRule.Compile(d.PageAvid ?? builtIn?.PageAvid, $"{path}:PageAvid", errors);

        if (errors.Count > before || m3u8 is null) return null;
        return new ScraperSource
        {
            Name = name,
            Weight = d.Weight,
            Domain = domain,
            Scheme = scheme,
            PageUrls = pageUrls,
            Referer = string.IsNullOrWhiteSpace(referer) ? null : referer,
            Headers = d.Headers ?? new Dictionary<string, string>(),
            M3u8 = m3u8,
            Title = title,
            Cover = cover,
            PageAvid = pageAvid,
            VerifyM3u8 = d.VerifyM3u8 ?? builtIn?.VerifyM3u8 ?? false,
            Order = order,
        };
    }

    internal static void CheckUrlTemplate(string template, string path, Func<string, string?> variables, List<string> errors)
    {
        var unknown = Templates.Names(template).Where(n => variables(n) is null).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"{path}: unknown placeholder {{{unknown[0]}}} in '{template}' (known: {{scheme}}, {{domain}}, {{avid}}, {{avid_lower}})");
            return;
        }
        var expanded = Templates.Expand(template, variables);
        if (!Uri.TryCreate(expanded, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add($"{path}: '{template}' does not make an absolute http(s) URL");
    }
}

public sealed class SourcesValidator : IValidateOptions<ScraperSourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, ScraperSourcesOptions options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
