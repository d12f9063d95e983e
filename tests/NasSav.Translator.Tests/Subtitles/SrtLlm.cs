using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NasSav.Testing.FakeLlm;

namespace NasSav.Translator.Tests.Subtitles;

/// <summary>
/// The shared fake LLM set up for subtitle prompts: model "test", and an answer that translates the numbered
/// lines of the SRT prompt as JSON {"translation": "1. 译:…"} (each &lt;br&gt;-separated part prefixed with 译:).
/// </summary>
public static partial class SrtLlm
{
    public static async Task<FakeLlmServer> StartAsync()
    {
        var llm = await FakeLlmServer.StartAsync();
        llm.Models.Add("test");
        llm.Answer = DefaultAnswer;
        return llm;
    }

    /// <summary>The numbered lines of a prompt: number → text.</summary>
    public static List<(int Number, string Text)> NumberedLines(string prompt) =>
        [.. prompt.Split('\n').Select(l => LineRegex().Match(l)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Value))];

    public static string Translate(string text) => string.Join("<br>", text.Split("<br>").Select(p => "译:" + p));

    public static string DefaultAnswer(string prompt) =>
        new JsonObject { ["translation"] = string.Join("\n", NumberedLines(prompt).Select(l => $"{l.Number}. {Translate(l.Text)}")) }.ToJsonString();

    [GeneratedRegex(@"^(\d+)\. (.*)$")]
    private static partial Regex LineRegex();
}
