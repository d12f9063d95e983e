using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Genres;

public sealed class GenreListTests
{
    [Theory, BothDatabases]
    public async Task Conformance_genre_filters_list_ordering_search_and_paging(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("GEN-1", genres: ["中文字幕", "人妻"]);
        await app.ResourceAsync("GEN-2", genres: ["人妻"]);
        await app.ResourceAsync("GEN-3", genres: ["中文字幕", "素人", "人妻"]);
        await app.ResourceAsync("GEN-4", genres: ["素人"]);
        await app.WithDbAsync(async db => { db.Genres.Add(new NasSav.Catalog.Data.Genre { Name = "未使用" }); await db.SaveChangesAsync(); });
        var client = app.CreateClient();

        var byName = (await client.ApiGetAsync("/resources/?genre=中文")).Is(200).Strings("avid");
        Assert.Contains("GEN-1", byName);
        Assert.Contains("GEN-3", byName);
        var id = await app.WithDbAsync(db => Task.FromResult(db.Genres.Single(g => g.Name == "中文字幕").Id));
        Assert.Equal(["GEN-1", "GEN-3"], (await client.ApiGetAsync($"/resources/?genre={id}")).Strings("avid").Order());

        var list = (await client.ApiGetAsync("/genres/")).Is(200);
        Assert.All(list.Data.EnumerateArray(), g => Assert.Equal(["id", "name", "resource_count"], g.EnumerateObject().Select(p => p.Name)));
        Assert.DoesNotContain("未使用", list.Strings("name"));

        var counts = (await client.ApiGetAsync("/genres/?order_by=count&order=desc")).Data.EnumerateArray()
            .Select(g => g.GetProperty("resource_count").GetInt32()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.Equal([3, 2, 2], counts);
        Assert.Equal(["中文字幕"], (await client.ApiGetAsync("/genres/?search=中文")).Strings("name"));

        var page = (await client.ApiGetAsync("/genres/?page_size=2&page=1")).Is(200);
        Assert.Equal(2, page.Data.GetArrayLength());
        Assert.Equal(1, page.Pagination.GetProperty("page").GetInt32());
        Assert.Equal(2, page.Pagination.GetProperty("page_size").GetInt32());
        Assert.True(page.Pagination.GetProperty("total").GetInt32() >= 3);

        var unused = await app.WithDbAsync(db => Task.FromResult(db.Genres.Single(g => g.Name == "未使用").Id));
        Assert.Equal(0, Assert.Single((await client.ApiGetAsync($"/genres/?id={unused}")).Data.EnumerateArray()).GetProperty("resource_count").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Bad_query_values_are_400_envelopes_not_500(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();
        foreach (var query in new[] { "page=abc", "page_size=0", "page_size=x", "id=1e3", "order_by=size" })
            (await client.ApiGetAsync("/genres/?" + query)).Is(400);
    }
}
