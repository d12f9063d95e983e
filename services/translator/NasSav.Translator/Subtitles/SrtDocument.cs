using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NasSav.Translator.Subtitles;

/// <summary>A malformed SRT: <see cref="Exception.Message"/> names the line (1-based) and what was expected.</summary>
public sealed class SrtFormatException(int line, string problem) : Exception($"line {line}: {problem}")
{
    public int Line { get; } = line;
}

/// <summary>One cue. <see cref="IndexText"/> and <see cref="TimingLine"/> are the original text, written back untouched.</summary>
public sealed record SrtCue(int Index, string IndexText, TimeSpan Start, TimeSpan End, string TimingLine, IReadOnlyList<string> Lines)
{
    public string Text => string.Join('\n', Lines);
}

/// <summary>
/// SubRip parser and writer. Tolerant of a BOM, CRLF or LF, extra blank lines between cues and trailing blank
/// lines; strict about structure (cue number, timing line, end not before start, at least one text line).
/// Writing a parsed document back reproduces it byte for byte when it uses one blank line between cues
/// (numbering and timing lines always come back as they were read).
/// </summary>
public sealed partial class SrtDocument
{
    public const string TimestampExample = "00:00:01,000 --> 00:00:02,000";

    public SrtDocument(IReadOnlyList<SrtCue> cues, string newLine = "\n", bool hasBom = false, int trailingNewLines = 1)
    {
        Cues = cues;
        NewLine = newLine;
        HasBom = hasBom;
        TrailingNewLines = trailingNewLines;
    }

    public IReadOnlyList<SrtCue> Cues { get; }
    public string NewLine { get; }
    public bool HasBom { get; }
    /// <summary>Line breaks after the last text line (1 for a file ending in one newline).</summary>
    public int TrailingNewLines { get; }

    /// <summary>The same document with each cue's text lines replaced (numbering and timing untouched).</summary>
    public SrtDocument WithTexts(IReadOnlyList<IReadOnlyList<string>> texts)
    {
        if (texts.Count != Cues.Count) throw new ArgumentException($"{texts.Count} texts for {Cues.Count} cues", nameof(texts));
        return new SrtDocument([.. Cues.Select((c, i) => c with { Lines = texts[i] })], NewLine, HasBom, TrailingNewLines);
    }

    public static SrtDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hasBom = text.Length > 0 && text[0] == '\uFEFF';
        if (hasBom) text = text[1..];
        var newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToArray();
        // text.Split leaves one empty entry after a final newline.
        var trailing = 0;
        var count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0) { count--; trailing++; }
        // "a\n" splits into ["a", ""]: one newline after the last line.
        var trailingNewLines = trailing;

        var cues = new List<SrtCue>();
        var i = 0;
        while (i < count)
        {
            if (IsBlank(lines[i])) { i++; continue; }
            var indexText = lines[i];
            if (!int.TryParse(indexText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new SrtFormatException(i + 1, $"expected a cue number, got '{Shorten(indexText)}'");
            i++;
            if (i >= count)
                throw new SrtFormatException(i, $"expected a timing line like '{TimestampExample}' after cue number {index}, the file ends here");
            if (IsBlank(lines[i]))
                throw new SrtFormatException(i + 1, $"expected a timing line like '{TimestampExample}' after cue number {index}");
            var timingLine = lines[i];
            var (start, end) = ParseTiming(timingLine, i + 1);
            if (end < start)
                throw new SrtFormatException(i + 1, $"cue {index} ends ({FormatTime(end)}) before it starts ({FormatTime(start)})");
            i++;
            var textLines = new List<string>();
            while (i < count && !IsBlank(lines[i]))
            {
                if (textLines.Count > 0 && IsCueNumber(lines[i]) && i + 1 < count && TimingRegex().IsMatch(lines[i + 1]))
                    throw new SrtFormatException(i + 1, $"expected a blank line before cue {lines[i].Trim()} (after the text of cue {index})");
                textLines.Add(lines[i]);
                i++;
            }
            if (textLines.Count == 0)
                throw i >= count
                    ? new SrtFormatException(i, $"expected the text of cue {index} after its timing line, the file ends here")
                    : new SrtFormatException(i + 1, $"expected the text of cue {index} after its timing line");
            cues.Add(new SrtCue(index, indexText, start, end, timingLine, textLines));
        }
        if (cues.Count == 0) throw new SrtFormatException(1, "expected at least one cue (the file is empty)");
        return new SrtDocument(cues, newLine, hasBom, trailingNewLines);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (HasBom) sb.Append('\uFEFF');
        for (var c = 0; c < Cues.Count; c++)
        {
            var cue = Cues[c];
            if (c > 0) sb.Append(NewLine).Append(NewLine);
            sb.Append(cue.IndexText).Append(NewLine).Append(cue.TimingLine);
            foreach (var line in cue.Lines) sb.Append(NewLine).Append(line);
        }
        for (var n = 0; n < TrailingNewLines; n++) sb.Append(NewLine);
        return sb.ToString();
    }

    private static (TimeSpan Start, TimeSpan End) ParseTiming(string line, int lineNumber)
    {
        var m = TimingRegex().Match(line);
        if (!m.Success)
            throw new SrtFormatException(lineNumber, $"expected a timing line like '{TimestampExample}', got '{Shorten(line)}'");
        var start = ToTime(m, 1);
        var end = ToTime(m, 5);
        if (start is null || end is null)
            throw new SrtFormatException(lineNumber, $"minutes and seconds must be below 60 in '{Shorten(line)}'");
        return (start.Value, end.Value);
    }

    private static TimeSpan? ToTime(Match m, int group)
    {
        var h = int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var min = int.Parse(m.Groups[group + 1].Value, CultureInfo.InvariantCulture);
        var s = int.Parse(m.Groups[group + 2].Value, CultureInfo.InvariantCulture);
        var ms = int.Parse(m.Groups[group + 3].Value, CultureInfo.InvariantCulture);
        if (min >= 60 || s >= 60) return null;
        return new TimeSpan(0, h, min, s, ms);
    }

    public static string FormatTime(TimeSpan t) =>
        $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00},{t.Milliseconds:000}";

    private static bool IsBlank(string line) => line.Trim().Length == 0;
    private static bool IsCueNumber(string line) => line.Trim().Length > 0 && line.Trim().All(char.IsAsciiDigit);
    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";

    [GeneratedRegex(@"^\s*(\d{1,3}):(\d{2}):(\d{2})[,.](\d{3})\s*-->\s*(\d{1,3}):(\d{2}):(\d{2})[,.](\d{3})(?:\s.*)?$")]
    private static partial Regex TimingRegex();
}
