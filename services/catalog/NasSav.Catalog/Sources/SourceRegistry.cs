using Microsoft.Extensions.Options;

namespace NasSav.Catalog.Sources;

/// <summary>The registered sources: configured ones with a non-zero weight, in configuration order.</summary>
public sealed class SourceRegistry(IOptions<SourcesOptions> options)
{
    public IReadOnlyList<SourceOptions> Registered { get; } = options.Value.Items.Where(s => s.Weight != 0).ToList();

    public IReadOnlyList<string> DisplayNames => Registered.Select(s => s.Name).ToList();

    /// <summary>Case-insensitive lookup by name ("missav", "MissAV").</summary>
    public SourceOptions? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : Registered.FirstOrDefault(s => s.Key == name.Trim().ToLowerInvariant());
}
