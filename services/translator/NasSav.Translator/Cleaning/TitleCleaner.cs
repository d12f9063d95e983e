using System.Text.RegularExpressions;

namespace NasSav.Translator.Cleaning;

/// <summary>
/// NASSAV's ten cleaning rules (OllamaTranslator._clean_translation, nassav-api.md §5) in their order, with
/// its bugs fixed: rule 2 removes the quotes on both sides and knows curly quotes, 「」 and 『』, and runs
/// once more after rule 9 (quotes followed by a note the later rules remove).
/// </summary>
public static partial class TitleCleaner
{
    private static readonly (char Open, char Close)[] QuotePairs =
        [('"', '"'), ('“', '”'), ('「', '」'), ('『', '』'), ('\'', '\''), ('‘', '’')];

    private static readonly string[] NumberedLineWords = ["保留", "翻译", "使用", "采用", "表示", "符合", "常见", "风格", "以便"];

    public static string Clean(string? answer)
    {
        var text = answer ?? "";
        text = Rule1Prefixes(text);
        text = Rule2Quotes(text);
        text = Rule3Bold(text);
        text = Rule4FullWidthNotes(text);
        text = Rule5HalfWidthNotes(text);
        text = Rule6TrailingExplanation(text);
        text = Rule7ExplanatoryTails(text);
        text = Rule8NumberedLines(text);
        text = Rule9BlankLines(text);
        // Fix beyond the reference: quotes that enclose the title only once a note or an explanation line
        // is gone (“标题”（注：…）) are removed too.
        text = Rule2Quotes(text.Trim());
        return Rule10Trim(text);
    }

    /// <summary>1. 翻译结果: / 标题: / 译文: / 翻译: at the start (ASCII or full-width colon).</summary>
    public static string Rule1Prefixes(string text)
    {
        foreach (var prefix in PrefixRegexes) text = prefix.Replace(text, "");
        return text;
    }

    private static readonly Regex[] PrefixRegexes =
        [.. new[] { "翻译结果", "标题", "译文", "翻译" }.Select(p => new Regex(@"^\s*" + p + "[:：]\\s*", RegexOptions.CultureInvariant))];

    /// <summary>2. A quote pair around the whole answer: "…", “…”, 「…」, 『…』, '…', ‘…’ (both sides; repeated).</summary>
    public static string Rule2Quotes(string text)
    {
        while (true)
        {
            var trimmed = text.Trim();
            if (trimmed.Length < 2) return text;
            var pair = QuotePairs.FirstOrDefault(p => trimmed[0] == p.Open && trimmed[^1] == p.Close);
            if (pair == default) return text;
            var inner = trimmed[1..^1];
            // 「A」と「B」 is not one quoted title.
            if (inner.Contains(pair.Open) || inner.Contains(pair.Close)) return text;
            text = inner;
        }
    }

    /// <summary>3. **bold** → bold.</summary>
    public static string Rule3Bold(string text) => BoldRegex().Replace(text, "$1");

    /// <summary>4. （…注:…） and （…翻译说明:…）.</summary>
    public static string Rule4FullWidthNotes(string text) => FullWidthNoteRegex().Replace(text, "");

    /// <summary>5. (…注:…) and (…Note:…).</summary>
    public static string Rule5HalfWidthNotes(string text) => HalfWidthNoteRegex().Replace(text, "");

    /// <summary>6. Everything from the first line starting with 翻译说明: / 说明: / 注:.</summary>
    public static string Rule6TrailingExplanation(string text)
    {
        var m = TrailingExplanationRegex().Match(text);
        return m.Success ? text[..m.Index] : text;
    }

    /// <summary>7. Tails such as "，并尽量保持原文风格。" at the end.</summary>
    public static string Rule7ExplanatoryTails(string text) => TailRegex().Replace(text, "");

    /// <summary>8. Numbered lines (1. / 1） / 1)) that explain the translation.</summary>
    public static string Rule8NumberedLines(string text)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines.Where(l => !(NumberedLineRegex().IsMatch(l) && NumberedLineWords.Any(l.Contains))));
    }

    /// <summary>9. Blank lines collapse.</summary>
    public static string Rule9BlankLines(string text) => BlankLinesRegex().Replace(text, "\n");

    /// <summary>10. Trim.</summary>
    public static string Rule10Trim(string text) => text.Trim();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldRegex();

    [GeneratedRegex(@"（[^）]*(?:注|翻译说明)[:：][^）]*）")]
    private static partial Regex FullWidthNoteRegex();

    [GeneratedRegex(@"\([^)]*(?:注|[Nn]ote)[:：][^)]*\)")]
    private static partial Regex HalfWidthNoteRegex();

    [GeneratedRegex(@"\n\s*(?:翻译说明|说明|注)[:：]")]
    private static partial Regex TrailingExplanationRegex();

    [GeneratedRegex(@"(?:，并尽量保持[^。！？\n]*|，以保留[^。！？\n]*|，使[^。！？\n]*更[^。！？\n]*)[。）)]?$")]
    private static partial Regex TailRegex();

    [GeneratedRegex(@"^\s*\d+[.）)]\s*")]
    private static partial Regex NumberedLineRegex();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLinesRegex();
}
