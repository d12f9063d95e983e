using NasSav.Translator.Subtitles;

namespace NasSav.Translator.Tests.Subtitles;

public class SrtDocumentTests
{
    private const string Sample =
        "1\n00:00:01,000 --> 00:00:02,500\nこんにちは\n\n" +
        "2\n00:00:03,000 --> 00:00:04,000 X1:10 X2:20\n一行目\n二行目\n\n" +
        "10\n01:02:03,004 --> 01:02:05,000\n終わり\n";

    [Theory]
    [InlineData(Sample)]
    [InlineData("\uFEFF" + Sample)]
    [InlineData(Sample + "\n\n")]
    public void Round_trip_is_identical(string text)
    {
        Assert.Equal(text, SrtDocument.Parse(text).ToString());
        var crlf = text.Replace("\n", "\r\n");
        Assert.Equal(crlf, SrtDocument.Parse(crlf).ToString());
    }

    [Fact]
    public void Cues_are_read()
    {
        var doc = SrtDocument.Parse("\uFEFF" + Sample.Replace("\n", "\r\n"));
        Assert.Equal(3, doc.Cues.Count);
        Assert.Equal([1, 2, 10], doc.Cues.Select(c => c.Index));
        Assert.Equal(["一行目", "二行目"], doc.Cues[1].Lines);
        Assert.Equal(new TimeSpan(0, 1, 2, 3, 4), doc.Cues[2].Start);
        Assert.Equal("00:00:03,000 --> 00:00:04,000 X1:10 X2:20", doc.Cues[1].TimingLine);
        Assert.True(doc.HasBom);
        Assert.Equal("\r\n", doc.NewLine);
    }

    [Fact]
    public void Extra_blank_lines_between_cues_are_tolerated()
    {
        var doc = SrtDocument.Parse("\n\n1\n00:00:01,000 --> 00:00:02,000\nA\n\n\n\n2\n00:00:03,000 --> 00:00:04,000\nB");
        Assert.Equal(["A", "B"], doc.Cues.Select(c => c.Text));
    }

    [Fact]
    public void WithTexts_keeps_numbering_and_timing()
    {
        var doc = SrtDocument.Parse(Sample);
        var translated = doc.WithTexts([["a"], ["b", "c"], ["d"]]).ToString();
        Assert.Equal(
            "1\n00:00:01,000 --> 00:00:02,500\na\n\n2\n00:00:03,000 --> 00:00:04,000 X1:10 X2:20\nb\nc\n\n10\n01:02:03,004 --> 01:02:05,000\nd\n",
            translated);
    }

    [Theory]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nA\n\nabc\n00:00:03,000 --> 00:00:04,000\nB\n", 5, "expected a cue number, got 'abc'")]
    [InlineData("1\n00:00:01,000 -> 00:00:02,000\nA\n", 2, "expected a timing line like '00:00:01,000 --> 00:00:02,000'")]
    [InlineData("1\n00:00:01 --> 00:00:02\nA\n", 2, "expected a timing line")]
    [InlineData("1\n00:61:01,000 --> 00:62:02,000\nA\n", 2, "below 60")]
    [InlineData("1\n00:00:05,000 --> 00:00:02,000\nA\n", 2, "ends (00:00:02,000) before it starts (00:00:05,000)")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n", 3, "expected the text of cue 1")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:03,000 --> 00:00:04,000", 6, "expected the text of cue 2 after its timing line, the file ends here")]
    [InlineData("1\n\n", 1, "the file ends here")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nA\n2\n00:00:03,000 --> 00:00:04,000\nB\n", 4, "expected a blank line before cue 2")]
    [InlineData("", 1, "expected at least one cue")]
    [InlineData("\uFEFF\r\n\r\n", 1, "expected at least one cue")]
    public void Malformed_srt_names_the_line(string text, int line, string expected)
    {
        var ex = Assert.Throws<SrtFormatException>(() => SrtDocument.Parse(text));
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"line {line}: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
