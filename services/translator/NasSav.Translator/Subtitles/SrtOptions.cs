namespace NasSav.Translator.Subtitles;

/// <summary>The <c>Translator:Srt</c> section, see docs/translator.md.</summary>
public sealed class SrtOptions
{
    public const string Section = "Translator:Srt";

    /// <summary>Cues sent to the LLM in one request (numbered lines).</summary>
    public int CuesPerRequest { get; set; } = 20;
    /// <summary>Largest SRT accepted by POST /nassav/api/translate/srt (raw body or the multipart file).</summary>
    public long MaxFileBytes { get; set; } = 2 * 1024 * 1024;

    public static IEnumerable<string?> Validate(SrtOptions o)
    {
        if (o.CuesPerRequest < 1) yield return "CuesPerRequest: must be at least 1";
        if (o.MaxFileBytes < 1) yield return "MaxFileBytes: must be positive";
    }
}
