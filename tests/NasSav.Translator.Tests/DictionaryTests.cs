using NasSav.Translator.Dictionary;

namespace NasSav.Translator.Tests;

public sealed class DictionaryTests
{
    private static readonly TermDictionary Shipped = TermDictionary.Load(TranslatorOptions.DefaultDictionaryFile);

    [Theory]
    // The reference's three cascade examples (nassav-api.md §5): NASSAV gives 继母亲と息子, 继妹妹の誘惑, 海边老名の人妻.
    [InlineData("義母と息子", "继母と息子")]
    [InlineData("義妹の誘惑", "继妹の誘惑")]
    [InlineData("海老名の人妻", "海老名の人妻")]
    public void A_replaced_term_is_never_replaced_again(string input, string expected)
    {
        Assert.Equal(expected, Shipped.Apply(input));
    }

    [Fact]
    public void The_shipped_file_holds_the_terms_the_cascade_needs()
    {
        // Without 母, 妹 and 海 in the file the tests above would pass by accident.
        Assert.Equal("母亲と息子", Shipped.Apply("母と息子"));
        Assert.Equal("妹妹", Shipped.Apply("妹"));
        Assert.Equal("海边", Shipped.Apply("海"));
    }

    [Fact]
    public void Longest_match_wins_at_each_position_and_unmatched_text_is_kept()
    {
        var d = TermDictionary.Parse("""{"AB": "x", "ABC": "y", "C": "z", "B": "w", "x": "NO"}""");
        Assert.Equal("yy", d.Apply("ABCABC"));      // ABC beats AB
        Assert.Equal("x-zw", d.Apply("AB-CB"));      // AB, then C and B; the produced "x" is not replaced
        Assert.Equal("Q w", d.Apply("Q B"));
    }

    [Fact]
    public void A_file_that_is_not_a_map_is_an_error_naming_the_key()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TermDictionary.Parse("- a\n- b", "terms.yaml"));
        Assert.Contains("Translator:DictionaryFile", ex.Message);
        Assert.Contains("terms.yaml", ex.Message);
    }

    [Fact]
    public void No_file_means_no_dictionary()
    {
        Assert.Equal("義母", TermDictionary.Load("").Apply("義母"));
    }
}
