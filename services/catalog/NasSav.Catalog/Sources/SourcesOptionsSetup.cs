using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace NasSav.Catalog.Sources;

/// <summary>
/// Binds <see cref="SourcesOptions"/> from either form. In the map form the key is the name
/// ("missav" → display name "MissAV"); in the list form Name is the display name. Configuration
/// sorts map keys, so known sources keep the peer's class order (missav, jable, memo), others follow.
/// A bad weight fails the host at start, naming the key.
/// </summary>
public sealed class SourcesOptionsSetup(IConfiguration configuration) : IConfigureOptions<SourcesOptions>
{
    private static readonly string[] KnownOrder = ["missav", "jable", "memo"];
    private static readonly Dictionary<string, string> DisplayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["missav"] = "MissAV",
        ["jable"] = "Jable",
        ["memo"] = "Memo",
    };

    public void Configure(SourcesOptions options)
    {
        var list = configuration.GetSection(SourcesOptions.Section);
        var map = configuration.GetSection(SourcesOptions.NassavSection);
        if (list.GetChildren().Any()) options.Items = Read(list).ToList();
        else if (map.GetChildren().Any()) options.Items = Order(Read(map)).ToList();
        else options.Items = [.. SourcesOptions.Defaults];
    }

    private static IEnumerable<SourceOptions> Read(IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            var isListItem = int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            var name = child["Name"] ?? child["name"] ?? (isListItem ? null : child.Key);
            if (string.IsNullOrWhiteSpace(name))
                throw new OptionsValidationException(section.Path, typeof(SourcesOptions), [$"{child.Path}:Name is required"]);
            var weightText = child["Weight"] ?? child["weight"];
            var weight = 0;
            if ((!string.IsNullOrWhiteSpace(weightText) &&
                 !int.TryParse(weightText, NumberStyles.Integer, CultureInfo.InvariantCulture, out weight)) || weight < 0)
                throw new OptionsValidationException(section.Path, typeof(SourcesOptions),
                    [$"{child.Path}:Weight '{weightText}' must be a whole number >= 0"]);
            yield return new SourceOptions
            {
                Name = DisplayNames.GetValueOrDefault(name.Trim(), name.Trim()),
                Domain = (child["Domain"] ?? child["domain"] ?? "").Trim(),
                Weight = weight,
            };
        }
    }

    private static IEnumerable<SourceOptions> Order(IEnumerable<SourceOptions> items) =>
        items.OrderBy(s => Array.IndexOf(KnownOrder, s.Key) is var i && i >= 0 ? i : KnownOrder.Length)
             .ThenBy(s => s.Key, StringComparer.Ordinal);
}
