using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NasSav.Scraper.Extraction;
using NasSav.Scraper.Sources;

namespace NasSav.Scraper.MetadataSites;

/// <summary>
/// Reads <c>MetadataSites:</c>, else NASSAV's <c>Scraper:{javbus,busdmm,dmmsee}:domain</c>, else the
/// defaults (JavBus, Busdmm, Dmmsee). Problems are reported at start by <see cref="MetadataSitesValidator"/>.
/// </summary>
public sealed class MetadataSitesSetup(IConfiguration configuration) : IConfigureOptions<MetadataSitesOptions>
{
    public const string Section = "MetadataSites";

    public void Configure(MetadataSitesOptions options)
    {
        var entries = new List<(string Path, MetadataSiteDefinition Definition)>();
        var section = configuration.GetSection(Section);
        if (section.GetChildren().Any())
        {
            foreach (var child in section.GetChildren())
            {
                var definition = new MetadataSiteDefinition();
                try { child.Bind(definition); }
                catch (InvalidOperationException e)
                {
                    options.Errors.Add($"{child.Path}: {e.Message}");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(definition.Name) && !int.TryParse(child.Key, out _)) definition.Name = child.Key;
                entries.Add((child.Path, definition));
            }
        }
        else
        {
            // NASSAV: Scraper: { javbus: { domain: ... }, busdmm: ..., dmmsee: ... }; a site without a domain is off.
            var nassav = JavBusProfile.Defaults
                .Select(d => (d.Name, Section: configuration.GetSection($"{ScraperOptions.Section}:{d.Name.ToLowerInvariant()}")))
                .ToList();
            var useNassav = nassav.Any(n => n.Section.GetChildren().Any());
            foreach (var (name, domain) in JavBusProfile.Defaults)
            {
                var configured = nassav.First(n => n.Name == name).Section;
                var value = useNassav ? configured["domain"] : domain;
                if (string.IsNullOrWhiteSpace(value)) continue;
                entries.Add((useNassav ? configured.Path : $"{Section}({name}, default)", new MetadataSiteDefinition { Name = name, Domain = value }));
            }
        }

        foreach (var (path, definition) in entries)
        {
            if (!definition.Enabled) continue;
            var site = Compile(path, definition, options.Errors);
            if (site is null) continue;
            if (options.Items.Any(s => s.Name.Equals(site.Name, StringComparison.OrdinalIgnoreCase)))
                options.Errors.Add($"{path}:Name '{site.Name}' is configured twice");
            else options.Items.Add(site);
        }
    }

    internal static MetadataSite? Compile(string path, MetadataSiteDefinition d, List<string> errors)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(d.Name)) errors.Add($"{path}:Name is required");
        var domain = d.Domain?.Trim().TrimEnd('/') ?? "";
        if (domain.Length == 0) errors.Add($"{path}:Domain is required");
        else if (domain.Contains('/') || domain.Contains(' ')) errors.Add($"{path}:Domain '{domain}' must be host[:port] without a scheme or path");
        var scheme = (d.Scheme ?? "https").Trim().ToLowerInvariant();
        if (scheme is not ("http" or "https")) errors.Add($"{path}:Scheme '{d.Scheme}' must be http or https");
        var pageUrl = string.IsNullOrWhiteSpace(d.PageUrl) ? "{scheme}://{domain}/{avid}" : d.PageUrl.Trim();
        var variables = Templates.Site(scheme, domain.Length == 0 ? "example.com" : domain, "ABC-123");
        SourcesSetup.CheckUrlTemplate(pageUrl, $"{path}:PageUrl", variables, errors);
        if (!string.IsNullOrWhiteSpace(d.Referer)) SourcesSetup.CheckUrlTemplate(d.Referer, $"{path}:Referer", variables, errors);

        var profileName = string.IsNullOrWhiteSpace(d.Profile) ? JavBusProfile.Name : d.Profile.Trim().ToLowerInvariant();
        MetadataRules? profile = profileName switch
        {
            JavBusProfile.Name => JavBusProfile.Rules,
            "none" => new MetadataRules(),
            _ => null,
        };
        if (profile is null)
        {
            errors.Add($"{path}:Profile '{d.Profile}' is unknown (javbus, or none with every rule under Rules)");
            return null;
        }
        var own = d.Rules ?? new MetadataRules();
        CompiledRule? Rule(ExtractionRule? mine, ExtractionRule? fallback, string field) =>
            CompiledRule.Compile(mine ?? fallback, $"{path}:Rules:{field}", errors);

        var title = Rule(own.Title, profile.Title, "Title");
        var pageAvid = Rule(own.PageAvid, profile.PageAvid, "PageAvid");
        if (own.Title is null && profile.Title is null) errors.Add($"{path}:Rules:Title is required with Profile none");
        if (own.PageAvid is null && profile.PageAvid is null) errors.Add($"{path}:Rules:PageAvid is required with Profile none (a page must prove it is the AVID's)");
        var rules = new
        {
            ReleaseDate = Rule(own.ReleaseDate, profile.ReleaseDate, "ReleaseDate"),
            Duration = Rule(own.Duration, profile.Duration, "Duration"),
            Studio = Rule(own.Studio, profile.Studio, "Studio"),
            Label = Rule(own.Label, profile.Label, "Label"),
            Series = Rule(own.Series, profile.Series, "Series"),
            Director = Rule(own.Director, profile.Director, "Director"),
            Genres = Rule(own.Genres, profile.Genres, "Genres"),
            ActorNames = Rule(own.ActorNames, profile.ActorNames, "ActorNames"),
            ActorAvatars = Rule(own.ActorAvatars, profile.ActorAvatars, "ActorAvatars"),
            Cover = Rule(own.Cover, profile.Cover, "Cover"),
        };
        if (errors.Count > before || title is null || pageAvid is null) return null;
        return new MetadataSite
        {
            Name = d.Name!.Trim(),
            Domain = domain,
            Scheme = scheme,
            PageUrl = pageUrl,
            Referer = string.IsNullOrWhiteSpace(d.Referer) ? null : d.Referer,
            Headers = d.Headers ?? new Dictionary<string, string>(),
            Rules = new MetadataRuleSet
            {
                Title = title,
                PageAvid = pageAvid,
                ReleaseDate = rules.ReleaseDate,
                Duration = rules.Duration,
                Studio = rules.Studio,
                Label = rules.Label,
                Series = rules.Series,
                Director = rules.Director,
                Genres = rules.Genres,
                ActorNames = rules.ActorNames,
                ActorAvatars = rules.ActorAvatars,
                Cover = rules.Cover,
            },
        };
    }
}

public sealed class MetadataSitesValidator : IValidateOptions<MetadataSitesOptions>
{
    public ValidateOptionsResult Validate(string? name, MetadataSitesOptions options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
