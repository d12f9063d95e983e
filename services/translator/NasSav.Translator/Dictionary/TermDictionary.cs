using YamlDotNet.RepresentationModel;

namespace NasSav.Translator.Dictionary;

/// <summary>
/// Japanese → Chinese terms applied before the prompt in ONE left-to-right pass: at each position the
/// longest matching term wins and its replacement is never looked at again, so 義母と息子 becomes
/// 继母と息子 (NASSAV's repeated replace gives 继母亲と息子, nassav-api.md §5).
/// </summary>
public sealed class TermDictionary
{
    private readonly Dictionary<char, List<KeyValuePair<string, string>>> _byFirstChar = new();

    public TermDictionary(IEnumerable<KeyValuePair<string, string>> terms)
    {
        foreach (var term in terms.Where(t => t.Key.Length > 0))
        {
            if (!_byFirstChar.TryGetValue(term.Key[0], out var list)) _byFirstChar[term.Key[0]] = list = [];
            list.RemoveAll(t => t.Key == term.Key);
            list.Add(term);
        }
        foreach (var list in _byFirstChar.Values) list.Sort((a, b) => b.Key.Length.CompareTo(a.Key.Length));
        Count = _byFirstChar.Values.Sum(l => l.Count);
    }

    public static TermDictionary Empty { get; } = new([]);

    public int Count { get; }

    /// <summary>A YAML map (JSON is YAML too): <c>義母: 继母</c>.</summary>
    public static TermDictionary Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return Empty;
        return Parse(File.ReadAllText(path), path);
    }

    public static TermDictionary Parse(string text, string source = "dictionary")
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidOperationException($"Translator:DictionaryFile '{source}': {ex.Message}", ex);
        }
        if (yaml.Documents.Count == 0) return Empty;
        if (yaml.Documents[0].RootNode is not YamlMappingNode map)
            throw new InvalidOperationException($"Translator:DictionaryFile '{source}': expected a map of term: translation");
        var terms = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
                terms.Add(new(k, v));
            else
                throw new InvalidOperationException($"Translator:DictionaryFile '{source}': line {key.Start.Line}: expected term: translation");
        }
        return new TermDictionary(terms);
    }

    public string Apply(string text)
    {
        if (_byFirstChar.Count == 0 || string.IsNullOrEmpty(text)) return text;
        var result = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (_byFirstChar.TryGetValue(text[i], out var candidates))
            {
                var match = candidates.FirstOrDefault(t => i + t.Key.Length <= text.Length && string.CompareOrdinal(text, i, t.Key, 0, t.Key.Length) == 0);
                if (match.Key is not null)
                {
                    result.Append(match.Value);
                    i += match.Key.Length;
                    continue;
                }
            }
            result.Append(text[i]);
            i++;
        }
        return result.ToString();
    }
}
