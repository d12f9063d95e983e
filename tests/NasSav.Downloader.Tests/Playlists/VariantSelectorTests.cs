using NasSav.Downloader.Engine;
using NasSav.Downloader.Engine.Playlists;

namespace NasSav.Downloader.Tests.Playlists;

public sealed class VariantSelectorTests
{
    private static readonly Uri U = new("https://x.example/m.m3u8");

    private static MasterPlaylist Master(params Variant[] v) => new(U, v, new HashSet<string>());

    private static Variant V(string name, long bandwidth, int? height) => new(new Uri(U, name), bandwidth, height * 16 / 9, height, null);

    [Fact]
    public void Highest_bandwidth_by_default()
    {
        Assert.Equal("b", Path.GetFileName(VariantSelector.Select(Master(V("a", 100, 1080), V("b", 300, 720), V("c", 200, null)), null).Uri.AbsolutePath));
    }

    [Fact]
    public void Max_height_picks_the_best_not_taller_and_skips_unknown_heights()
    {
        var m = Master(V("a", 100, 480), V("b", 300, 1080), V("c", 200, 720), V("d", 900, null));
        Assert.Equal("c", Path.GetFileName(VariantSelector.Select(m, 720).Uri.AbsolutePath));
        Assert.Equal("a", Path.GetFileName(VariantSelector.Select(m, 719).Uri.AbsolutePath));
        Assert.Equal("a", Path.GetFileName(VariantSelector.Select(m, 100).Uri.AbsolutePath));
    }

    [Fact]
    public void Empty_master_is_refused()
    {
        Assert.Contains("no variants", Assert.Throws<HlsDownloadException>(() => VariantSelector.Select(Master(), null)).Message);
    }
}
