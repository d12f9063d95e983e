using System.Text.Json;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Tests;

/// <summary>The fake data is deterministic and has the shape the scraper has to cope with.</summary>
public sealed class CatalogTests
{
    private static string Json(DemoTitle t) => JsonSerializer.Serialize(t);

    [Fact]
    public void Same_AVID_gives_the_same_data_in_two_catalogs()
    {
        var a = new DemoCatalog("DEMO", 60);
        var b = new DemoCatalog("DEMO", 60);
        Assert.Equal(a.Titles.Select(Json), b.Titles.Select(Json));
        // Fixed values: a change of the generator shows here (and changes every demo's data).
        Assert.Equal("港の倉庫で出会った幼なじみとの再会 第1話", a.Find("DEMO-001")!.TitleJa);
        Assert.Equal("在港口仓库遇见的青梅竹马：重逢 第1集", a.Find("demo-001")!.TitleZh);
    }

    [Fact]
    public void Default_set_has_sixty_numbered_AVIDs_and_the_switches()
    {
        var c = new DemoCatalog("DEMO", 60);
        Assert.Equal(60, c.Titles.Count(t => t.Number is not null));
        Assert.Equal("DEMO-060", c.Titles.Last(t => t.Number is not null).Avid);
        foreach (var avid in new[] { "DEMO-403", "DEMO-404", "DEMO-500", "DEMO-SLOW", "DEMO-JUNK",
                     "DEMO-FB-403", "DEMO-FB-404", "DEMO-FB-500", "DEMO-FB-SLOW", "DEMO-FB-JUNK", "DEMO-WRONG", "DEMO-NOMETA" })
            Assert.NotNull(c.Find(avid));
        Assert.True(c.Titles.Select(t => t.TitleJa).Distinct().Count() > 60, "titles are distinct");
        Assert.Equal(c.Titles.Count, c.Titles.Select(t => t.Uuid).Distinct().Count());
        Assert.Contains(c.Titles, t => t.Stream == StreamKind.Aes);
        Assert.Contains(c.Titles, t => t.Stream == StreamKind.Master);
        Assert.All(c.Titles, t =>
        {
            Assert.InRange(t.Actors.Count(a => !a.Placeholder), 1, 3);
            Assert.Equal(t.Actors.Count, t.Actors.Distinct().Count());
            Assert.Contains(t.Genres, g => Pools.TechnicalGenres.Contains(g));
            Assert.InRange(t.DurationMinutes, 60, 180);
        });
        Assert.Contains(c.Titles, t => t.Series is null);
        Assert.Contains(c.Titles, t => t.Director is null);
    }

    [Fact]
    public void Prefix_and_count_come_from_the_command_line()
    {
        var app = DemoSiteApp.Build(["--Demo:Prefix=abc", "--Demo:Count=75", "--urls", "http://127.0.0.1:0"]);
        var c = app.Services.GetRequiredService<DemoCatalog>();
        Assert.Equal(75, c.Titles.Count(t => t.Number is not null));
        Assert.NotNull(c.Find("ABC-075"));
        Assert.NotNull(c.Find("ABC-FB-SLOW"));
        Assert.Null(c.Find("DEMO-001"));
        Assert.Equal("ABC-001", c.OtherAvid);
    }

    [Theory]
    [InlineData("--Demo:Prefix=A-B")]
    [InlineData("--Demo:Count=-1")]
    public void Bad_options_stop_the_site(string arg) =>
        Assert.Throws<InvalidOperationException>(() => DemoSiteApp.Build([arg]));
}
