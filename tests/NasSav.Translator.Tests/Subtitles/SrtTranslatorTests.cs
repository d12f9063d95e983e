using NasSav.Testing.FakeLlm;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Translator.Subtitles;

namespace NasSav.Translator.Tests.Subtitles;

public class SrtTranslatorTests
{
    public static string BigSrt(int cues)
    {
        var sb = new StringBuilder();
        for (var i = 1; i <= cues; i++)
        {
            var start = TimeSpan.FromMilliseconds(i * 1500 + 7);
            if (i > 1) sb.Append('\n');
            sb.Append(i).Append('\n')
              .Append(SrtDocument.FormatTime(start)).Append(" --> ").Append(SrtDocument.FormatTime(start + TimeSpan.FromMilliseconds(1234))).Append('\n')
              .Append("セリフ").Append(i).Append('\n');
            if (i % 7 == 0) sb.Append("二行目").Append(i).Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public async Task Five_hundred_cues_come_back_as_five_hundred_cues_with_their_timing()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        var source = SrtDocument.Parse(BigSrt(500));

        var translated = await app.Services.GetRequiredService<SrtTranslator>().TranslateAsync(source, CancellationToken.None);
        var reparsed = SrtDocument.Parse(translated.ToString());

        Assert.Equal(500, reparsed.Cues.Count);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(source.Cues[i].IndexText, reparsed.Cues[i].IndexText);
            Assert.Equal(source.Cues[i].TimingLine, reparsed.Cues[i].TimingLine);
            Assert.Equal(source.Cues[i].Lines.Select(l => "译:" + l), reparsed.Cues[i].Lines);
        }
        Assert.Equal(25, llm.Prompts.Count); // 20 cues per request
        Assert.All(llm.Prompts, p => Assert.Equal(20, SrtLlm.NumberedLines(p).Count));
    }

    [Fact]
    public async Task Cues_per_request_is_configurable()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm, new Dictionary<string, string?> { ["Translator:Srt:CuesPerRequest"] = "7" });
        await app.Services.GetRequiredService<SrtTranslator>().TranslateAsync(SrtDocument.Parse(BigSrt(30)), CancellationToken.None);
        Assert.Equal([7, 7, 7, 7, 2], llm.Prompts.Select(p => SrtLlm.NumberedLines(p).Count));
    }

    [Fact]
    public async Task A_batch_answer_missing_a_line_falls_back_to_one_request_per_cue()
    {
        await using var llm = await SrtLlm.StartAsync();
        // Batches of several cues lose their second line: the others would shift up if read by position.
        llm.Answer = prompt =>
        {
            var lines = SrtLlm.NumberedLines(prompt);
            if (lines.Count > 1) lines.RemoveAt(1);
            return new JsonObject { ["translation"] = string.Join("\n", lines.Select((l, k) => $"{k + 1}. {SrtLlm.Translate(l.Text)}")) }.ToJsonString();
        };
        await using var app = await TranslatorApp.StartAsync(llm, new Dictionary<string, string?> { ["Translator:Srt:CuesPerRequest"] = "5" });
        var translator = app.Services.GetRequiredService<SrtTranslator>();
        var source = SrtDocument.Parse(BigSrt(12));

        var translated = await translator.TranslateAsync(source, CancellationToken.None);

        Assert.Equal(3, translator.Fallbacks);
        Assert.Equal(3 + 12, llm.Prompts.Count);
        Assert.Equal(source.Cues.Select(c => c.Lines.Select(l => "译:" + l).ToList()), translated.Cues.Select(c => c.Lines.ToList()));
        Assert.Equal(source.Cues.Select(c => c.TimingLine), translated.Cues.Select(c => c.TimingLine));
    }

    [Fact]
    public async Task Plain_numbered_answers_with_chatter_are_read_and_cleaned()
    {
        await using var llm = await SrtLlm.StartAsync();
        llm.Answer = prompt => "好的，以下是翻译：\n" + string.Join("\n", SrtLlm.NumberedLines(prompt).Select(l => $"{l.Number}、 \"**{SrtLlm.Translate(l.Text)}**\""));
        await using var app = await TranslatorApp.StartAsync(llm);
        var translator = app.Services.GetRequiredService<SrtTranslator>();
        var translated = await translator.TranslateAsync(SrtDocument.Parse(BigSrt(3)), CancellationToken.None);
        Assert.Equal(0, translator.Fallbacks);
        Assert.Equal(["译:セリフ1", "译:セリフ2", "译:セリフ3"], translated.Cues.Select(c => c.Text));
    }

    [Fact]
    public async Task The_dictionary_is_applied_before_the_prompt()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm, dictionary: "義母: 继母\n息子: 儿子\n");
        var source = SrtDocument.Parse("1\n00:00:01,000 --> 00:00:02,000\n義母と息子\n");
        var translated = await app.Services.GetRequiredService<SrtTranslator>().TranslateAsync(source, CancellationToken.None);
        Assert.Contains("1. 继母と儿子", Assert.Single(llm.Prompts));
        Assert.Equal("译:继母と儿子", Assert.Single(translated.Cues).Text);
    }

    [Fact]
    public async Task Multi_line_cues_travel_together_and_split_back()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        var source = SrtDocument.Parse("1\n00:00:01,000 --> 00:00:02,000\n上の行\n下の行\n\n2\n00:00:03,000 --> 00:00:04,000\n単独\n");
        var translated = await app.Services.GetRequiredService<SrtTranslator>().TranslateAsync(source, CancellationToken.None);
        Assert.Equal(2, SrtLlm.NumberedLines(Assert.Single(llm.Prompts)).Count);
        Assert.Equal(["译:上の行", "译:下の行"], translated.Cues[0].Lines);
        Assert.Equal(["译:単独"], translated.Cues[1].Lines);
    }

    [Theory]
    [InlineData("{\"1\": \"甲\", \"2\": \"乙\"}")]
    [InlineData("[\"甲\", \"乙\"]")]
    [InlineData("{\"translations\": [\"1. 甲\", \"2. 乙\"]}")]
    [InlineData("1. 甲\n2) 乙")]
    public void Answers_are_read_by_number(string answer)
    {
        var lines = SrtTranslator.ParseNumbered(answer);
        Assert.NotNull(lines);
        Assert.Equal("甲", lines[1]);
        Assert.Equal("乙", lines[2]);
    }

    [Fact]
    public void A_repeated_number_is_not_an_answer() => Assert.Null(SrtTranslator.ParseNumbered("1. 甲\n1. 乙"));
}
