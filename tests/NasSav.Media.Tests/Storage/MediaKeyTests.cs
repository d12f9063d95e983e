using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Media.Tests.Storage;

public sealed class MediaKeyTests
{
    private static readonly Avid Avid = Avid.Parse("ABC-123");

    [Fact]
    public void Keys_follow_the_documented_layout()
    {
        Assert.Equal("cover/ABC-123.jpg", MediaKey.Cover(Avid).Value);
        Assert.Equal("cover/ABC-123.webp", MediaKey.Cover(Avid, ".webp").Value);
        Assert.Equal("thumbnails/medium/ABC-123.jpg", MediaKey.Thumbnail(ThumbnailSize.Medium, Avid).Value);
        Assert.Equal("video/ABC-123.mp4", MediaKey.Video(Avid).Value);
        Assert.Equal("avatar/305_a.jpg", MediaKey.Avatar("305_a.jpg").Value);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("..")]
    [InlineData("a/b.jpg")]
    [InlineData("a\\b.jpg")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("x\0.jpg")]
    public void Unsafe_avatar_names_make_no_key(string? name) => Assert.False(MediaKey.TryAvatar(name, out _));

    [Fact]
    public void Cover_extensions_are_limited()
    {
        Assert.Throws<ArgumentException>(() => MediaKey.Cover(Avid, ".exe"));
        Assert.Throws<ArgumentException>(() => MediaKey.Of("backup", ".."));
    }
}
