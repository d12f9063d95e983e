using NasSav.Media.Avids;

namespace NasSav.Media.Tests.Avids;

public sealed class AvidTests
{
    [Theory]
    [InlineData("abc-123", "ABC-123")]
    [InlineData("  ssis-001\t", "SSIS-001")]
    [InlineData("FC2-PPV-1234567", "FC2-PPV-1234567")]
    [InlineData("abc123", "ABC123")]
    public void Trims_and_upper_cases_valid_input(string raw, string expected)
    {
        Assert.True(Avid.TryParse(raw, out var avid, out var error), error);
        Assert.Equal(expected, avid.Value);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("ABC\0-123")]
    [InlineData("ABC 123")]
    [InlineData("ABC--123")]
    [InlineData("-ABC")]
    [InlineData("ABC-")]
    [InlineData("ABC.123")]
    [InlineData("ＡＢＣ-123")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Rejects_anything_but_letters_digits_and_single_inner_hyphens(string? raw)
    {
        Assert.False(Avid.TryParse(raw, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Accepts_50_characters_and_rejects_51()
    {
        Assert.True(Avid.TryParse(new string('A', 50), out _, out _));
        Assert.False(Avid.TryParse(new string('A', 51), out _, out var error));
        Assert.Contains("50", error);
    }

    [Fact]
    public void Parse_throws_a_format_exception_with_the_reason()
    {
        var ex = Assert.Throws<FormatException>(() => Avid.Parse("a/b"));
        Assert.Contains("avid", ex.Message);
    }

    [Fact]
    public void Correlation_id_is_the_same_for_every_spelling_and_a_version_5_uuid()
    {
        var a = Avid.Parse("abc-123").CorrelationId;
        var b = Avid.Parse(" ABC-123 ").CorrelationId;
        Assert.Equal(a, b);
        Assert.NotEqual(a, Avid.Parse("ABC-124").CorrelationId);
        Assert.Equal('5', a.ToString()[14]);
    }

    [Fact]
    public void Uuid5_matches_the_rfc_test_vector()
    {
        // RFC 9562 appendix A.4: DNS namespace, "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), Avid.Uuid5(dns, "www.example.com"));
    }
}
