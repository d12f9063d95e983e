namespace NasSav.Catalog.Data;

/// <summary>What the translator gets for a title.</summary>
public static class TranslationInput
{
    private static readonly char[] Separators = [' ', '\t', '\u3000', '-', '_', ':', '：', '|', '｜', '·', '・', '.', ',', '，', '、', '/', '~', '～', '–', '—'];

    /// <summary>The original title, else the source title without its leading AVID and separators; null when nothing is left.</summary>
    public static string? Of(string avid, string? originalTitle, string? sourceTitle)
    {
        if (!string.IsNullOrWhiteSpace(originalTitle)) return originalTitle.Trim();
        var rest = WithoutAvid(avid, sourceTitle);
        return string.IsNullOrWhiteSpace(rest) ? null : rest;
    }

    /// <summary>"ABC-123 中文标题", "[ABC-123] 中文标题", "abc-123：中文标题" → "中文标题"; a title without the AVID is only trimmed.</summary>
    public static string WithoutAvid(string avid, string? title)
    {
        var t = (title ?? "").Trim();
        var bracketed = t.Length > 0 && t[0] is '[' or '【' or '(' or '（';
        var body = bracketed ? t[1..].TrimStart() : t;
        if (!body.StartsWith(avid, StringComparison.OrdinalIgnoreCase)) return t;
        var rest = body[avid.Length..];
        if (bracketed && rest.Length > 0 && rest[0] is ']' or '】' or ')' or '）') rest = rest[1..];
        else if (rest.Length > 0 && char.IsLetterOrDigit(rest[0])) return t; // ABC-1234 is not ABC-123
        return rest.TrimStart(Separators).Trim();
    }
}

/// <summary>The peer's normalize_source_title: a source title always starts with its AVID.</summary>
public static class SourceTitles
{
    public static string? Normalize(string avid, string? title)
    {
        if (string.IsNullOrEmpty(title)) return title;
        var trimmed = title.Trim();
        if (trimmed.Length == 0) return trimmed;
        var normalized = trimmed.ToUpperInvariant().StartsWith(avid.ToUpperInvariant(), StringComparison.Ordinal) ? trimmed : $"{avid} {trimmed}";
        return normalized.Length > 512 ? normalized[..512] : normalized;
    }
}
