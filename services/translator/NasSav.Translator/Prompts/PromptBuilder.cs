namespace NasSav.Translator.Prompts;

/// <summary>
/// Fills the template's {text} (a plain replacement: braces in a title are safe, unlike str.format) and,
/// when the engine asks for JSON, appends the expected shape.
/// </summary>
public static class PromptBuilder
{
    public const string JsonInstruction = "\n\n请以JSON格式返回：{\"translation\": \"中文翻译\"}";

    public static string Build(string template, string text, bool json) =>
        template.Replace("{text}", text, StringComparison.Ordinal) + (json ? JsonInstruction : "");
}
