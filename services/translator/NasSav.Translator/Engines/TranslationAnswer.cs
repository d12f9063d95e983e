using System.Text.Json;
using System.Text.Json.Nodes;

namespace NasSav.Translator.Engines;

/// <summary>What a model answered, read as a translation whether or not it kept to the JSON asked for.</summary>
public static class TranslationAnswer
{
    /// <summary>{"translation": "..."} → its value; anything else is taken as plain text.</summary>
    public static string Extract(string? content)
    {
        var text = (content ?? "").Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject obj)
                {
                    foreach (var name in new[] { "translation", "translated_title", "title", "result" })
                        if (obj[name] is JsonValue v && v.TryGetValue<string>(out var s)) return s.Trim();
                    // One string property: take it.
                    var strings = obj.Select(p => p.Value).OfType<JsonValue>()
                        .Select(v => v.TryGetValue<string>(out var s) ? s : null).Where(s => s is not null).ToList();
                    if (strings.Count == 1) return strings[0]!.Trim();
                }
            }
            catch (JsonException)
            {
                // plain text after all
            }
        }
        return text;
    }
}
