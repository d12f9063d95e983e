using System.Text.Json;

namespace NasSav.Testing;

/// <summary>
/// What an assembly of the test's output carries: the packages and projects listed in its <c>.deps.json</c> (what
/// <c>dotnet publish</c> would ship with it), by name without version.
/// </summary>
public static class DepsFile
{
    public static IReadOnlyList<string> Libraries(string assemblyName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        return deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).Order().ToList();
    }

    /// <summary>The libraries of <paramref name="libraries"/> whose names start with one of <paramref name="prefixes"/>.</summary>
    public static IReadOnlyList<string> Matching(IEnumerable<string> libraries, params string[] prefixes) =>
        libraries.Where(l => prefixes.Any(p => l.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();
}
