using NasSav.Testing.FakeLlm;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using NasSav.Translator.Subtitles;

namespace NasSav.Translator.Tests.Subtitles;

public class SrtEndpointTests
{
    private const string Route = "/nassav/api/translate/srt";
    private const string Small = "1\r\n00:00:01,000 --> 00:00:02,000\r\nこんにちは\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nさようなら\r\n";
    private const string SmallTranslated = "1\r\n00:00:01,000 --> 00:00:02,000\r\n译:こんにちは\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n译:さようなら\r\n";

    private static StringContent Raw(string srt, string mediaType = "application/x-subrip") => new(srt, new UTF8Encoding(false), mediaType);

    private static async Task<JsonNode> EnvelopeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var envelope = JsonNode.Parse(body)!;
        Assert.Equal((int)status, envelope["code"]!.GetValue<int>());
        return envelope;
    }

    [Fact]
    public async Task Raw_srt_of_500_cues_comes_back_translated_with_identical_numbering_and_timing()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        var srt = SrtTranslatorTests.BigSrt(500);

        using var response = await app.Client.PostAsync(Route, Raw(srt, "text/plain"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("application/x-subrip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var source = SrtDocument.Parse(srt);
        var translated = SrtDocument.Parse(body);
        Assert.Equal(500, translated.Cues.Count);
        Assert.Equal(source.Cues.Select(c => c.IndexText + "|" + c.TimingLine), translated.Cues.Select(c => c.IndexText + "|" + c.TimingLine));
        Assert.All(translated.Cues, c => Assert.All(c.Lines, l => Assert.StartsWith("译:", l)));
    }

    [Fact]
    public async Task Crlf_and_bom_are_kept()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        using var response = await app.Client.PostAsync(Route, Raw("\uFEFF" + Small));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes("\uFEFF" + SmallTranslated), bytes);
    }

    [Fact]
    public async Task Multipart_file_field_is_accepted()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Small));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/x-subrip");
        form.Add(file, "file", "movie.srt");

        using var response = await app.Client.PostAsync(Route, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SmallTranslated, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Multipart_without_file_field_is_400()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        using var form = new MultipartFormDataContent { { new StringContent(Small), "other" } };
        var envelope = await EnvelopeAsync(await app.Client.PostAsync(Route, form), HttpStatusCode.BadRequest);
        Assert.Contains("file", envelope["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_format_gives_cues_and_the_srt()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        var envelope = await EnvelopeAsync(await app.Client.PostAsync(Route + "?format=json", Raw(Small)), HttpStatusCode.OK);
        var data = envelope["data"]!;
        Assert.Equal(SmallTranslated, data["translated_srt"]!.GetValue<string>());
        var cues = data["cues"]!.AsArray();
        Assert.Equal(2, cues.Count);
        Assert.Equal("00:00:03,000", cues[1]!["start"]!.GetValue<string>());
        Assert.Equal("译:さようなら", cues[1]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_srt_is_400_with_the_parser_message()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        var envelope = await EnvelopeAsync(
            await app.Client.PostAsync(Route, Raw("1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:09,000 --> 00:00:04,000\nB\n")),
            HttpStatusCode.BadRequest);
        Assert.Contains("line 6: cue 2 ends (00:00:04,000) before it starts (00:00:09,000)", envelope["message"]!.GetValue<string>());
        Assert.Equal(6, envelope["data"]!["line"]!.GetValue<int>());
        Assert.Empty(llm.Prompts);
    }

    [Fact]
    public async Task Too_large_is_413_raw_and_multipart()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm, new Dictionary<string, string?> { ["Translator:Srt:MaxFileBytes"] = "4096" });
        var big = SrtTranslatorTests.BigSrt(200);
        Assert.True(Encoding.UTF8.GetByteCount(big) > 4096);

        await EnvelopeAsync(await app.Client.PostAsync(Route, Raw(big)), HttpStatusCode.RequestEntityTooLarge);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(big)), "file", "big.srt" } };
        await EnvelopeAsync(await app.Client.PostAsync(Route, form), HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(llm.Prompts);

        // Under the limit passes.
        using var ok = await app.Client.PostAsync(Route, Raw(Small));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Disabled_translator_is_503()
    {
        await using var app = await TranslatorApp.StartAsync(null);
        var envelope = await EnvelopeAsync(await app.Client.PostAsync(Route, Raw(Small)), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Translator:Enabled", envelope["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Llm_down_is_503()
    {
        await using var llm = await SrtLlm.StartAsync();
        llm.Behaviour = FakeLlmBehaviour.Down;
        await using var app = await TranslatorApp.StartAsync(llm);
        var envelope = await EnvelopeAsync(await app.Client.PostAsync(Route, Raw(Small)), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("unavailable", envelope["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Llm_failing_mid_file_is_503()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        llm.Answer = _ => "";
        var envelope = await EnvelopeAsync(await app.Client.PostAsync(Route, Raw(Small)), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("empty answer", envelope["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_body_is_415()
    {
        await using var llm = await SrtLlm.StartAsync();
        await using var app = await TranslatorApp.StartAsync(llm);
        await EnvelopeAsync(await app.Client.PostAsync(Route, Raw("{}", "application/json")), HttpStatusCode.UnsupportedMediaType);
    }
}
