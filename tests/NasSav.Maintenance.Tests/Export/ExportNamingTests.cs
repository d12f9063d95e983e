using System.Text;
using NasSav.Contracts.Export;
using NasSav.Maintenance.Export;

namespace NasSav.Maintenance.Tests.Export;

public sealed class ExportNamingTests
{
    private static ResourceDetail Title(string avid, string? source = null, string original = "", string? translated = null, string date = "2021-07-26") =>
        new() { Avid = avid, SourceTitle = source, OriginalTitle = original, TranslatedTitle = translated, ReleaseDate = date };

    [Theory]
    [InlineData("../../etc/passwd", "_.._etc_passwd")]
    [InlineData("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j")]
    [InlineData("...hidden", "hidden")]
    [InlineData("tab\tand\nnewline", "tab and newline")]
    [InlineData("  spaced   out  ", "spaced out")]
    [InlineData("ends with dots...", "ends with dots")]
    public void Clean_makes_a_value_one_safe_name_component(string value, string expected) =>
        Assert.Equal(expected, ExportNaming.Clean(value));

    [Fact]
    public void A_long_japanese_title_is_cut_to_the_byte_limit_between_characters()
    {
        var name = ExportNaming.FolderName("{avid} {title}", Title("ABC-123"), new string('海', 300) + "😀");
        Assert.True(Encoding.UTF8.GetByteCount(name) <= ExportNaming.MaxNameBytes);
        Assert.StartsWith("ABC-123 海海", name);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void Tokens_fill_the_template_and_a_missing_year_leaves_no_empty_brackets()
    {
        var d = Title("ABC-123") with { Studio = "S1", Actors = [new ResourceDetailActor { Id = 1, Name = "A" }] };
        Assert.Equal("S1 - ABC-123 Title (2021) A", ExportNaming.FolderName("{studio} - {avid} {title} ({year}) {actor}", d, "Title"));
        Assert.Equal("ABC-123 Title", ExportNaming.FolderName("{avid} {title} ({year})", d with { ReleaseDate = "" }, "Title"));
        Assert.Equal("ABC-123", ExportNaming.FolderName("{avid} {title}", d, "..."));
    }

    [Fact]
    public void A_template_without_avid_or_with_an_unknown_token_is_refused()
    {
        Assert.Contains(ExportNaming.ValidateTemplate("{title}"), e => e.Contains("{avid}", StringComparison.Ordinal));
        Assert.Contains(ExportNaming.ValidateTemplate("{avid} {nope}"), e => e.Contains("{nope}", StringComparison.Ordinal));
        Assert.Empty(ExportNaming.ValidateTemplate("{avid} {title} ({year})"));
    }

    [Theory]
    [InlineData(ExportTitle.Display, "source_title", "海辺")]
    [InlineData(ExportTitle.Display, "translated_title", "海边")]
    [InlineData(ExportTitle.Display, "original_title", "原題")]
    [InlineData(ExportTitle.Translated, "source_title", "海边")]
    [InlineData(ExportTitle.Original, "source_title", "原題")]
    public void The_title_follows_the_choice_or_the_users_display_setting_and_the_source_title_loses_its_avid(ExportTitle choice, string display, string expected) =>
        Assert.Equal(expected, ExportNaming.Title(Title("ABC-123", "ABC-123 海辺", "原題", "海边"), choice, display));

    [Fact]
    public void A_missing_title_falls_back_to_the_others_then_the_avid()
    {
        Assert.Equal("原題", ExportNaming.Title(Title("ABC-123", null, "原題"), ExportTitle.Translated, "translated_title"));
        Assert.Equal("ABC-123", ExportNaming.Title(Title("ABC-123", "ABC-123"), ExportTitle.Display, "source_title"));
    }
}
