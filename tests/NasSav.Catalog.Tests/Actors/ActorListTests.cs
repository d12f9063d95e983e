using System.Text.Json;
using NasSav.Catalog.Data;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Actors;

public sealed class ActorListTests
{
    [Theory, BothDatabases]
    public async Task Conformance_zero_count_actors_search_id_total_and_count_order(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("ACT-1", actors: ["有作品的演员", "多作品演员"]);
        await app.ResourceAsync("ACT-2", actors: ["多作品演员"]);
        var zero = await app.ActorAsync("めぐり（藤");
        await app.ActorAsync("ミュウ（夏");
        await app.ActorAsync("森沢かな（");
        var client = app.CreateClient();

        var list = (await client.ApiGetAsync("/actors/")).Is(200);
        Assert.Equal(["多作品演员", "有作品的演员"], list.Strings("name"));
        Assert.Equal([2, 1], list.Data.EnumerateArray().Select(i => i.GetProperty("resource_count").GetInt32()));
        Assert.Equal(2, (await client.ApiGetAsync("/actors/?search=演员")).Data.GetArrayLength());

        var byId = (await client.ApiGetAsync($"/actors/?id={zero.Id}&page=1&page_size=1")).Is(200);
        Assert.Equal(0, Assert.Single(byId.Data.EnumerateArray()).GetProperty("resource_count").GetInt32());

        var paged = (await client.ApiGetAsync("/actors/?page=1&page_size=10")).Is(200);
        Assert.Equal(2, paged.Pagination.GetProperty("total").GetInt32());
        Assert.Equal(["多作品演员", "有作品的演员"], (await client.ApiGetAsync("/actors/?order_by=count&order=desc")).Strings("name"));
        Assert.Equal(["有作品的演员", "多作品演员"], (await client.ApiGetAsync("/actors/?order_by=count&order=asc")).Strings("name"));
        Assert.Equal(3, await app.WithDbAsync(db => Task.FromResult(db.Actors.Count(a => a.ResourceLinks.Count == 0))));
    }

    [Theory, BothDatabases]
    public async Task Conformance_filter_resources_by_actor_name_and_id(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("ACT-1", r => r.OriginalTitle = "Alice solo", actors: ["Alice"]);
        await app.ResourceAsync("ACT-2", actors: ["Bob"]);
        await app.ResourceAsync("ACT-3", r => r.OriginalTitle = "Alice and Bob", actors: ["Alice", "Bob"]);
        var client = app.CreateClient();

        var byName = (await client.ApiGetAsync("/resources/?actor=Alice")).Is(200);
        Assert.Contains(byName.Data.EnumerateArray(), i => i.GetProperty("original_title").GetString()!.Contains("Alice"));
        var alice = await app.WithDbAsync(db => Task.FromResult(db.Actors.Single(a => a.Name == "Alice").Id));
        Assert.True((await client.ApiGetAsync($"/resources/?actor={alice}")).Data.GetArrayLength() >= 2);

        var actors = (await client.ApiGetAsync("/actors/?page_size=10&page=1")).Is(200);
        Assert.All(actors.Data.EnumerateArray(), i => Assert.True(i.TryGetProperty("resource_count", out _)));
    }

    [Theory, BothDatabases]
    public async Task Avatars_are_shown_unless_they_are_the_placeholder(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var placeholder = Actor.PlaceholderAvatarUrls.First();
        await app.ActorAsync("A 真实头像", "https://www.javbus.com/pics/actress/999_a.jpg", "999_a.jpg");
        await app.ActorAsync("B 占位头像", placeholder, "nowprinting.gif");
        await app.ActorAsync("C 无头像");
        foreach (var name in new[] { "A 真实头像", "B 占位头像", "C 无头像" })
            await app.WithDbAsync(async db =>
            {
                var actor = db.Actors.Single(a => a.Name == name);
                db.Resources.Add(new Resource { Avid = "AV-" + actor.Id, ActorLinks = [new ResourceActor { ActorId = actor.Id }] });
                await db.SaveChangesAsync();
            });
        var client = app.CreateClient();

        var items = (await client.ApiGetAsync("/actors/?page_size=10&order_by=name&order=asc")).Is(200).Data.EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(["id", "name", "resource_count", "avatar_url", "avatar_filename"], items[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://www.javbus.com/pics/actress/999_a.jpg", items[0].GetProperty("avatar_url").GetString());
        Assert.Equal("999_a.jpg", items[0].GetProperty("avatar_filename").GetString());
        Assert.Equal(1, items[0].GetProperty("resource_count").GetInt32());
        foreach (var item in items.Skip(1))
        {
            Assert.Equal(JsonValueKind.Null, item.GetProperty("avatar_url").ValueKind);
            Assert.Equal(JsonValueKind.Null, item.GetProperty("avatar_filename").ValueKind);
        }
        Assert.NotEqual(default, await app.WithDbAsync(db => Task.FromResult(db.Actors.Single(a => a.Name == "A 真实头像").UpdatedAt)));
        Assert.Equal(["C 无头像", "B 占位头像", "A 真实头像"], (await client.ApiGetAsync("/actors/?order_by=name&order=desc")).Strings("name"));
    }

    [Theory, BothDatabases]
    public async Task Bad_query_values_are_400_envelopes_not_500(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();
        foreach (var (query, parameter) in new[]
                 {
                     ("page=abc", "page"), ("page_size=abc", "page_size"), ("page_size=0", "page_size"), ("id=x", "id"),
                     ("order_by=age", "order_by"), ("order=up", "order"),
                 })
            Assert.Contains(parameter, (await client.ApiGetAsync("/actors/?" + query)).Is(400).Message);
    }
}
