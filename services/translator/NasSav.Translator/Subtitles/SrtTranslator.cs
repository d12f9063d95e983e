using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Translator.Cleaning;
using NasSav.Translator.Dictionary;
using NasSav.Translator.Engines;

namespace NasSav.Translator.Subtitles;

/// <summary>The LLM is not there: the endpoint answers 503.</summary>
public sealed class TranslatorUnavailableException(string message) : Exception(message);

/// <summary>
/// Translates the text of an SRT, never its numbering or timing: cues go to the LLM in batches of
/// Translator:Srt:CuesPerRequest as numbered lines ("1. …\n2. …") after the term dictionary; the answer is
/// read back by number. A batch answered with the wrong lines (missing, extra, renumbered) is translated
/// again cue by cue, so a line never moves to another cue. The lines of a multi-line cue travel together,
/// joined with <see cref="LineMarker"/>, and are split back.
/// </summary>
public sealed partial class SrtTranslator(
    TranslationEngine engine, TermDictionary dictionary, IOptions<SrtOptions> options, ILogger<SrtTranslator> logger)
{
    public const string LineMarker = "<br>";

    public const string PromptHeader =
        "你是专业的日语-中文字幕翻译专家。请将以下 {count} 行编号的日语字幕逐行翻译成简体中文。\n\n" +
        "翻译规则：1)逐行翻译，每行以原编号开头，共 {count} 行，不合并、不拆分、不遗漏 2)保留人名不翻译 3)行内的 <br> 是换行标记，原样保留 4)使用自然流畅的中文 5)只返回翻译结果\n\n" +
        "日语字幕：\n";

    public const string JsonInstruction = "\n\n请以JSON格式返回：{\"translation\": \"1. 第一行译文\\n2. 第二行译文\"}";

    /// <summary>Batches that fell back to one request per cue (for tests and logs).</summary>
    public int Fallbacks => _fallbacks;
    private int _fallbacks;

    public async Task<SrtDocument> TranslateAsync(SrtDocument document, CancellationToken ct)
    {
        var problem = await engine.CheckAvailabilityAsync(ct);
        if (problem is not null) throw new TranslatorUnavailableException(problem);

        var sources = document.Cues.Select(c => dictionary.Apply(string.Join(LineMarker, c.Lines.Select(l => l.Trim())))).ToList();
        var results = new IReadOnlyList<string>[sources.Count];
        var size = Math.Max(1, options.Value.CuesPerRequest);
        for (var offset = 0; offset < sources.Count; offset += size)
        {
            var batch = sources.Skip(offset).Take(size).ToList();
            var answers = await TranslateBatchAsync(batch, ct);
            if (answers is null) Interlocked.Increment(ref _fallbacks);
            for (var k = 0; k < batch.Count; k++)
            {
                var lines = answers?[k];
                results[offset + k] = lines ?? await TranslateOneAsync(batch[k], ct);
            }
        }
        return document.WithTexts(results);
    }

    /// <summary>Per cue: its lines, or null for a cue whose line was missing or empty. Null overall when the answer's numbering is wrong.</summary>
    private async Task<IReadOnlyList<string>?[]?> TranslateBatchAsync(IReadOnlyList<string> batch, CancellationToken ct)
    {
        var answer = await engine.CompleteAsync(BuildPrompt(batch), a => a.Trim(), ct);
        var numbered = ParseNumbered(answer);
        if (numbered is null || numbered.Count != batch.Count || Enumerable.Range(1, batch.Count).Any(n => !numbered.ContainsKey(n)))
        {
            logger.LogWarning("SRT batch of {Count} cues answered with {Lines} numbered lines: translating them one by one",
                batch.Count, numbered?.Count ?? 0);
            return null;
        }
        return [.. Enumerable.Range(1, batch.Count).Select(n => CleanLines(numbered[n]))];
    }

    private async Task<IReadOnlyList<string>> TranslateOneAsync(string source, CancellationToken ct)
    {
        var answer = await engine.CompleteAsync(BuildPrompt([source]), a => a.Trim(), ct);
        var numbered = ParseNumbered(answer);
        var text = numbered is { Count: 1 } && numbered.TryGetValue(1, out var one)
            ? one
            : string.Join(LineMarker, answer.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        return CleanLines(text) ?? throw new TranslationFailedException($"engine '{engine.Name}' answered nothing usable for the subtitle '{source}'");
    }

    public string BuildPrompt(IReadOnlyList<string> batch)
    {
        var sb = new StringBuilder(PromptHeader.Replace("{count}", batch.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        for (var k = 0; k < batch.Count; k++)
            sb.Append(k + 1).Append(". ").Append(batch[k].Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
        if (engine.Engine.Json) sb.Append(JsonInstruction.TrimStart('\n'));
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>Splits a cue's translation at the marker and cleans each line; null when nothing is left.</summary>
    private static List<string>? CleanLines(string text)
    {
        var lines = MarkerRegex().Split(text).Select(TitleCleaner.Clean).Where(l => l.Length > 0).ToList();
        return lines.Count == 0 ? null : lines;
    }

    /// <summary>
    /// Number → text from "1. …" lines (also 1、 1) 1: 1：), or a JSON answer: {"1": "…"}, ["…", "…"],
    /// {"translations": [...]}. Lines without a number are ignored (chatter). Null when a number repeats.
    /// </summary>
    public static Dictionary<int, string>? ParseNumbered(string answer)
    {
        var text = answer.Trim();
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            try
            {
                var fromJson = FromJson(JsonNode.Parse(text));
                if (fromJson is not null) return fromJson;
            }
            catch (JsonException)
            {
                // numbered lines after all
            }
        }
        var result = new Dictionary<int, string>();
        foreach (var raw in text.Split('\n'))
        {
            var m = NumberedRegex().Match(raw);
            if (!m.Success) continue;
            var n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!result.TryAdd(n, m.Groups[2].Value.Trim())) return null;
        }
        return result;
    }

    private static Dictionary<int, string>? FromJson(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var list = new Dictionary<int, string>();
                for (var k = 0; k < array.Count; k++)
                {
                    if (array[k] is not JsonValue v || !v.TryGetValue<string>(out var s)) return null;
                    var m = NumberedRegex().Match(s);
                    list[k + 1] = m.Success && m.Groups[1].Value == (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) ? m.Groups[2].Value.Trim() : s.Trim();
                }
                return list;
            case JsonObject obj:
                if (obj.Count == 1 && obj.First().Value is JsonArray inner) return FromJson(inner);
                if (obj.Count == 1 && obj.First().Value is JsonValue single && single.TryGetValue<string>(out var str)) return ParseNumbered(str);
                var map = new Dictionary<int, string>();
                foreach (var (key, value) in obj)
                {
                    if (!int.TryParse(key, out var n) || value is not JsonValue v || !v.TryGetValue<string>(out var s)) return null;
                    map[n] = s.Trim();
                }
                return map;
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^\s*(\d+)\s*[.、)）:：]\s*(.*)$")]
    private static partial Regex NumberedRegex();

    [GeneratedRegex(@"\s*<br\s*/?>\s*", RegexOptions.IgnoreCase)]
    private static partial Regex MarkerRegex();
}
