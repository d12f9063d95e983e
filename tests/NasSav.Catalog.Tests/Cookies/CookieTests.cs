using NasSav.Catalog.Data;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Cookies;

public sealed class CookieTests
{
    [Theory, BothDatabases]
    public async Task Conformance_list_set_and_clear(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();

        var empty = (await client.ApiGetAsync("/source/cookie")).Is(200);
        Assert.Equal("success", empty.Message);
        Assert.Equal("[]", empty.Data.GetRawText());

        await app.WithDbAsync(async db =>
        {
            db.SourceCookies.AddRange(new SourceCookie { Source = "missav", Cookie = "a=1" }, new SourceCookie { Source = "jable", Cookie = "b=2" });
            await db.SaveChangesAsync();
        });
        var two = (await client.ApiGetAsync("/source/cookie")).Is(200);
        Assert.Equal(["Jable", "MissAV"], two.Strings("source"));
        foreach (var item in two.Data.EnumerateArray())
        {
            var mtime = item.GetProperty("mtime").GetString()!;
            Assert.Contains("T", mtime);
            Assert.Matches(@"(Z|[+-]\d\d:\d\d)$", mtime);
            Assert.True(DateTimeOffset.TryParse(mtime, out _));
            Assert.IsType<string>(item.GetProperty("cookie").GetString());
        }

        var set = (await client.SendAsync(HttpMethod.Post, "/source/cookie", """{"source":"MISSAV","cookie":"my_test_cookie"}""")).Is(200);
        Assert.Equal("""{"source":"MISSAV","cookie_set":true,"auto_fetched":false}""", set.Data.GetRawText());
        var rows = await app.WithDbAsync(db => Task.FromResult(db.SourceCookies.OrderBy(c => c.Source).ToList()));
        Assert.Equal(["jable", "missav"], rows.Select(r => r.Source)); // one row per source, whatever the case sent
        Assert.Equal("my_test_cookie", rows[1].Cookie);
        var missav = (await client.ApiGetAsync("/source/cookie")).Data.EnumerateArray().Single(i => i.GetProperty("source").GetString() == "MissAV");
        Assert.Equal("my_test_cookie", missav.GetProperty("cookie").GetString());

        var cleared = (await client.SendAsync(HttpMethod.Delete, "/source/cookie?source=missav")).Is(200);
        Assert.Equal("Cookie 已清除", cleared.Message);
        Assert.False(cleared.Data.GetProperty("cookie_set").GetBoolean());
        Assert.Equal(["jable"], await app.WithDbAsync(db => Task.FromResult(db.SourceCookies.Select(c => c.Source).ToList())));
        (await client.SendAsync(HttpMethod.Delete, "/source/cookie?source=missav")).Is(200); // idempotent

        Assert.Contains("source 参数缺失", (await client.SendAsync(HttpMethod.Delete, "/source/cookie")).Is(400).Message);
    }

    [Theory, BothDatabases]
    public async Task Bad_requests_unknown_sources_and_auto_fetch(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();
        Task<ApiAnswer> Post(string json) => client.SendAsync(HttpMethod.Post, "/source/cookie", json);

        Assert.Equal("source 参数缺失", (await Post("""{"cookie":"x"}""")).Is(400).Message);
        Assert.Equal("未提供 cookie 且 auto 未设置为 True", (await Post("""{"source":"jable"}""")).Is(400).Message);
        Assert.Equal("未提供 cookie 且 auto 未设置为 True", (await Post("""{"source":"jable","auto":"false"}""")).Is(400).Message);
        (await Post("""{"source":"jable","auto":1}""")).Is(400);
        (await Post("""{"source":"jable","cookie":123}""")).Is(400);
        (await Post("""{"source":"jable","cookie":"a=1\r\nX-Evil: 1"}""")).Is(400);
        (await Post("""{"source":"jable",""")).Is(400);

        var unknown = (await Post("""{"source":"nowhere","cookie":"a=1"}""")).Is(404);
        Assert.Equal(3, unknown.Data.GetProperty("available_sources").GetArrayLength());
        (await Post("""{"source":"nowhere","auto":true}""")).Is(404);
        (await client.SendAsync(HttpMethod.Delete, "/source/cookie?source=nowhere")).Is(404);

        var auto = (await Post("""{"source":"Jable","auto":"true"}""")).Is(503);
        Assert.Contains("scraper", auto.Message);
        Assert.Empty(await app.WithDbAsync(db => Task.FromResult(db.SourceCookies.ToList())));
    }
}
