using NasSav.Translator.Cleaning;

namespace NasSav.Translator.Tests;

/// <summary>NASSAV's ten rules one by one (nassav-api.md §5), the reference's cases, and the bugs fixed.</summary>
public sealed class CleaningTests
{
    [Theory]
    [InlineData("  标题: 美少女  ", "美少女")] // the reference's example
    [InlineData("翻译结果：美少女", "美少女")]
    [InlineData("译文:美少女", "美少女")]
    [InlineData("翻译： 美少女", "美少女")]
    public void Rule1_removes_the_prefixes(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Theory]
    [InlineData("\"美少女的初体验\"", "美少女的初体验")] // NASSAV leaves 美少女的初体验"
    [InlineData("翻译结果：“美少女的初体验”", "美少女的初体验")] // NASSAV leaves “美少女的初体验”
    [InlineData("「美少女的初体验」", "美少女的初体验")]
    [InlineData("『美少女的初体验』", "美少女的初体验")]
    [InlineData("“「美少女」”", "美少女")]
    [InlineData("「美少女」与「人妻」", "「美少女」与「人妻」")] // two quoted parts, not one quoted title
    [InlineData("美少女\"的\"初体验", "美少女\"的\"初体验")]
    public void Rule2_removes_quotes_on_both_sides(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Fact]
    public void Rule3_unwraps_bold() => Assert.Equal("美少女与人妻", TitleCleaner.Clean("**美少女**与**人妻**"));

    [Theory]
    [InlineData("美少女的秘密恋情（注：保留了人名和地名）- 山田花子", "美少女的秘密恋情- 山田花子")] // the reference's full-width case
    [InlineData("美少女（翻译说明：直译）", "美少女")]
    [InlineData("美少女（山田花子）", "美少女（山田花子）")] // a parenthesis without a note stays
    public void Rule4_removes_full_width_notes(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Theory]
    [InlineData("美少女的秘密恋情 (注: 这是一个测试注释)", "美少女的秘密恋情")] // the reference's half-width case
    [InlineData("美少女 (Note: keep names)", "美少女")]
    [InlineData("美少女 (note：x)", "美少女")]
    [InlineData("美少女 (2024)", "美少女 (2024)")]
    public void Rule5_removes_half_width_notes(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Theory]
    [InlineData("美少女的初体验\n说明：这是直译", "美少女的初体验")]
    [InlineData("美少女的初体验\n  注: 保留了人名\n更多", "美少女的初体验")]
    [InlineData("美少女的初体验\n翻译说明：……", "美少女的初体验")]
    public void Rule6_cuts_from_an_explanation_line(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Theory]
    [InlineData("美少女的初体验，并尽量保持原文风格。", "美少女的初体验")]
    [InlineData("美少女的初体验，以保留原意）", "美少女的初体验")]
    [InlineData("美少女的初体验，使标题更自然。", "美少女的初体验")]
    [InlineData("美少女，并且人妻", "美少女，并且人妻")]
    public void Rule7_removes_explanatory_tails(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Theory]
    [InlineData("1. 保留了人名\n美少女", "美少女")]
    [InlineData("美少女\n2） 采用意译\n3) 符合中文习惯", "美少女")]
    [InlineData("1. 美少女", "1. 美少女")] // a numbered line without an explaining word stays
    public void Rule8_drops_numbered_explanation_lines(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));

    [Fact]
    public void Rule9_collapses_blank_lines() => Assert.Equal("美少女\n人妻", TitleCleaner.Rule9BlankLines("美少女\n\n  \n人妻"));

    [Fact]
    public void Rule10_trims() => Assert.Equal("美少女", TitleCleaner.Clean(" \n美少女\t\n"));

    [Fact]
    public void The_rules_run_in_order_on_a_chatty_answer()
    {
        Assert.Equal("译:美少女", TitleCleaner.Clean("翻译结果：“译:美少女”（注：保留了人名和番号）\n\n说明：这是直译。"));
        Assert.Equal("", TitleCleaner.Clean("“（注：无法翻译）”"));
    }

    // The reference's five cases (tests/test_translation_cleaning.py; inputs and outputs as quoted in nassav-api.md §5).
    [Theory]
    [InlineData("美少女的秘密恋情（注：保留了人名和地名）- 山田花子", "美少女的秘密恋情- 山田花子")]
    [InlineData("美少女的秘密恋情 (注: 这是一个测试注释)", "美少女的秘密恋情")]
    [InlineData("美少女的初体验，并尽量保持原文风格。", "美少女的初体验")]
    [InlineData("美少女的初体验\n说明：保留了原文的风格", "美少女的初体验")]
    [InlineData("1. 保留了人名\n美少女", "美少女")]
    public void The_reference_cases(string input, string expected) => Assert.Equal(expected, TitleCleaner.Clean(input));
}
