using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Resources;

public sealed class ResourceListTests
{
    [Theory, BothDatabases]
    public async Task Empty_library_answers_the_exact_empty_page(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var response = await app.CreateClient().GetAsync("/nassav/api/resources/");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"code":200,"message":"success","data":[],"pagination":{"total":0,"page":1,"page_size":20,"pages":1}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory, BothDatabases]
    public async Task Conformance_file_exists_source_and_page_size_filters(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("A-1", r => { r.Source = "S1"; r.FileExists = true; });
        await app.ResourceAsync("A-2", r => r.Source = "S2");
        await app.ResourceAsync("B-1", r => { r.Source = "S1"; r.FileExists = true; });
        var client = app.CreateClient();

        var all = (await client.ApiGetAsync("/resources/")).Is(200);
        Assert.Equal(3, all.Data.GetArrayLength());

        var downloaded = (await client.ApiGetAsync("/resources/?file_exists=true")).Is(200);
        Assert.Equal(2, downloaded.Data.GetArrayLength());
        Assert.All(downloaded.Data.EnumerateArray(), i => Assert.True(i.GetProperty("has_video").GetBoolean()));
        var notDownloaded = (await client.ApiGetAsync("/resources/?file_exists=no")).Is(200);
        Assert.Equal(["A-2"], notDownloaded.Strings("avid"));

        Assert.Equal(["A-2"], (await client.ApiGetAsync("/resources/?source=S2")).Is(200).Strings("avid"));
        Assert.All((await client.ApiGetAsync("/resources/?source=S2")).Data.EnumerateArray(), i => Assert.Equal("S2", i.GetProperty("source").GetString()));
        Assert.Equal(3, (await client.ApiGetAsync("/resources/?source=S1,%20S2")).Data.GetArrayLength());
        Assert.Empty((await client.ApiGetAsync("/resources/?source=s1")).Data.EnumerateArray()); // exact, case-sensitive

        var one = (await client.ApiGetAsync("/resources/?page_size=1&page=1")).Is(200);
        Assert.Single(one.Data.EnumerateArray());
        Assert.Equal(3, one.Pagination.GetProperty("total").GetInt32());
        Assert.Equal(3, one.Pagination.GetProperty("pages").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Status_watched_favorite_actor_genre_and_search_filters(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("ACT-1", r => { r.FileExists = true; r.Watched = true; }, actors: ["Alice"], genres: ["中文字幕"]);
        await app.ResourceAsync("ACT-2", r => { r.IsFavorite = true; r.SourceTitle = "ACT-2 Summer Story"; }, actors: ["Bob"], genres: ["人妻"]);
        var both = await app.ResourceAsync("ACT-3", r => r.TranslatedTitle = "夏日物语", actors: ["Alice", "Bob"], genres: ["中文字幕", "素人"]);
        var client = app.CreateClient();

        async Task<List<string>> Avids(string query) =>
            (await client.ApiGetAsync("/resources/?ordering=avid&" + query)).Is(200).Strings("avid");

        Assert.Equal(["ACT-1"], await Avids("status=downloaded"));
        Assert.Equal(["ACT-2", "ACT-3"], await Avids("status=PENDING"));
        Assert.Equal(["ACT-1", "ACT-2", "ACT-3"], await Avids("status=all"));
        Assert.Equal(["ACT-1"], await Avids("watched=true"));
        Assert.Equal(["ACT-2", "ACT-3"], await Avids("watched=0"));
        Assert.Equal(["ACT-2"], await Avids("is_favorite=yes"));

        Assert.Equal(["ACT-1", "ACT-3"], await Avids("actor=alice"));
        var alice = await app.WithDbAsync(db => Task.FromResult(db.Actors.Single(a => a.Name == "Alice").Id));
        Assert.Equal(["ACT-1", "ACT-3"], await Avids($"actor={alice}"));
        Assert.Equal(["ACT-1", "ACT-3"], await Avids("genre=中文"));
        var genreId = await app.WithDbAsync(db => Task.FromResult(db.Genres.Single(g => g.Name == "素人").Id));
        Assert.Equal(["ACT-3"], await Avids($"genre={genreId}"));
        Assert.Equal(["ACT-3"], await Avids("actor=Bob&genre=中文字幕"));

        Assert.Equal(["ACT-2"], await Avids("search=summer"));
        Assert.Equal(["ACT-3"], await Avids("search=夏日"));
        Assert.Equal(["ACT-3"], await Avids("search=act-3"));
        Assert.Equal(["ACT-1", "ACT-2", "ACT-3"], await Avids("search=测试作品"));
        Assert.Empty(await Avids("search=nothing-like-this"));

        var item = (await client.ApiGetAsync("/resources/?actor=" + both.ActorLinks[0].ActorId)).Data.EnumerateArray()
            .Single(i => i.GetProperty("avid").GetString() == "ACT-3");
        Assert.Equal(["中文字幕", "素人"], item.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
    }

    [Theory, BothDatabases]
    public async Task Summary_items_have_the_reference_shape(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var saved = new DateTime(2025, 1, 2, 3, 4, 5, 250, DateTimeKind.Utc);
        await app.ResourceAsync("SHP-001", r => { r.FileExists = true; r.VideoSavedAt = saved; r.ReleaseDate = "2024-05-06"; });
        await app.ResourceAsync("SHP-002", r => r.OriginalTitle = "");
        app.WriteMedia("cover/SHP-001.png");
        var client = app.CreateClient();

        var items = (await client.ApiGetAsync("/resources/?sort_by=avid&order=asc")).Is(200).Data.EnumerateArray().ToList();
        var first = items[0];
        string[] expected = ["avid", "original_title", "source_title", "translated_title", "source", "release_date", "has_video",
            "watched", "is_favorite", "metadata_create_time", "metadata_update_time", "video_create_time", "genres", "thumbnail_url"];
        Assert.Equal(expected.Order(), first.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("2024-05-06", first.GetProperty("release_date").GetString());
        Assert.Equal((saved - DateTime.UnixEpoch).TotalSeconds, first.GetProperty("video_create_time").GetDouble(), 3);
        Assert.True(first.GetProperty("metadata_create_time").GetDouble() > 1.7e9);
        Assert.StartsWith("/nassav/api/resource/cover?avid=SHP-001&size=medium&v=", first.GetProperty("thumbnail_url").GetString());
        Assert.Equal("/nassav/api/resource/cover?avid=SHP-002&size=medium", items[1].GetProperty("thumbnail_url").GetString());
        Assert.Equal("", items[1].GetProperty("original_title").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items[1].GetProperty("video_create_time").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items[1].GetProperty("source_title").ValueKind);
    }

    [Theory, BothDatabases]
    public async Task Sorting_by_sort_by_ordering_and_the_default(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("SRT-002", r => r.Source = "Jable");
        await app.ResourceAsync("SRT-001", r => r.Source = "MissAV");
        await app.ResourceAsync("SRT-003", r => r.Source = "Memo");
        var client = app.CreateClient();
        async Task<List<string>> Avids(string query) => (await client.ApiGetAsync("/resources/?" + query)).Is(200).Strings("avid");

        Assert.Equal(["SRT-001", "SRT-002", "SRT-003"], await Avids("sort_by=avid&order=asc"));
        Assert.Equal(["SRT-003", "SRT-002", "SRT-001"], await Avids("sort_by=avid"));
        Assert.Equal(["SRT-002", "SRT-003", "SRT-001"], await Avids("sort_by=source&order=asc"));
        Assert.Equal(["SRT-003", "SRT-001", "SRT-002"], await Avids("sort_by=metadata_create_time&order=desc"));
        Assert.Equal(["SRT-001", "SRT-002", "SRT-003"], await Avids("ordering=avid"));
        Assert.Equal(["SRT-003", "SRT-002", "SRT-001"], await Avids("ordering=-avid"));

        // Default: -metadata_updated_at, so a change brings a resource to the top.
        Assert.Equal(["SRT-003", "SRT-001", "SRT-002"], await Avids(""));
        (await client.SendAsync(HttpMethod.Patch, "/resource/SRT-002/status", """{"watched":true}""")).Is(200);
        Assert.Equal(["SRT-002", "SRT-003", "SRT-001"], await Avids(""));
    }

    [Theory, BothDatabases]
    public async Task Conformance_video_time_sort_lists_downloaded_videos_only(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var now = DateTime.UtcNow;
        await app.ResourceAsync("TEST-001", r => { r.FileExists = true; r.VideoSavedAt = now.AddDays(-2); });
        await app.ResourceAsync("TEST-002", r => { r.FileExists = true; r.VideoSavedAt = now.AddDays(-1); });
        await app.ResourceAsync("TEST-003");
        await app.ResourceAsync("TEST-004", r => r.VideoSavedAt = now); // not downloaded: still excluded
        var client = app.CreateClient();
        async Task<List<string>> Avids(string query) => (await client.ApiGetAsync("/resources/?" + query)).Is(200).Strings("avid");

        Assert.Equal(["TEST-002", "TEST-001"], await Avids("ordering=-video_saved_at"));
        Assert.Equal(["TEST-001", "TEST-002"], await Avids("ordering=video_saved_at"));
        Assert.Equal(["TEST-002", "TEST-001"], await Avids("sort_by=video_create_time&order=desc"));
        Assert.Equal(4, (await Avids("ordering=avid")).Count);

        var paged = (await client.ApiGetAsync("/resources/?ordering=-video_saved_at&page_size=1")).Is(200);
        Assert.Equal(2, paged.Pagination.GetProperty("total").GetInt32());
        Assert.Equal(2, paged.Pagination.GetProperty("pages").GetInt32());
        Assert.Equal(["TEST-002"], paged.Strings("avid"));
    }

    [Theory, BothDatabases]
    public async Task Out_of_range_pages_give_the_last_page(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        for (var i = 1; i <= 5; i++) await app.ResourceAsync($"PG-00{i}");
        var client = app.CreateClient();

        foreach (var page in new[] { "0", "-3", "99", "99999999999999999999", "-99999999999999999999" })
        {
            var answer = (await client.ApiGetAsync($"/resources/?ordering=avid&page_size=2&page={page}")).Is(200);
            Assert.Equal(["PG-005"], answer.Strings("avid"));
            Assert.Equal(3, answer.Pagination.GetProperty("page").GetInt32());
            Assert.Equal(2, answer.Pagination.GetProperty("page_size").GetInt32());
            Assert.Equal(3, answer.Pagination.GetProperty("pages").GetInt32());
        }
        Assert.Equal(["PG-003", "PG-004"], (await client.ApiGetAsync("/resources/?ordering=avid&page_size=2&page=2")).Strings("avid"));
        Assert.Equal(5, (await client.ApiGetAsync("/resources")).Data.GetArrayLength()); // no trailing slash works too
    }

    /// <summary>
    /// The UI's 每页显示 box takes any number (the peer served any size): up to 1000 rows are served as asked,
    /// larger asks are clamped and pagination.page_size says so; no positive integer is refused.
    /// </summary>
    [Theory, BothDatabases]
    public async Task Every_positive_page_size_is_served_up_to_1000_and_clamped_beyond(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.WithDbAsync(async db =>
        {
            for (var i = 1; i <= 1005; i++)
                db.Resources.Add(new NasSav.Catalog.Data.Resource { Avid = $"PS-{i:0000}", OriginalTitle = $"PS-{i:0000}", Source = "test" });
            await db.SaveChangesAsync();
            return 0;
        });
        var client = app.CreateClient();

        foreach (var (asked, served, rows) in new[] { ("101", 101, 101), ("500", 500, 500), ("1000", 1000, 1000),
                     ("1001", 1000, 1000), ("5000", 1000, 1000), ("+700", 700, 700), ("99999999999999999999", 1000, 1000) })
        {
            var answer = (await client.ApiGetAsync($"/resources/?ordering=avid&page_size={asked}")).Is(200);
            Assert.Equal(rows, answer.Data.GetArrayLength());
            Assert.Equal(served, answer.Pagination.GetProperty("page_size").GetInt32());
            Assert.Equal(1005, answer.Pagination.GetProperty("total").GetInt32());
            Assert.Equal((1005 + served - 1) / served, answer.Pagination.GetProperty("pages").GetInt32());
        }
        var second = (await client.ApiGetAsync("/resources/?ordering=avid&page_size=1001&page=2")).Is(200);
        Assert.Equal(["PS-1001", "PS-1002", "PS-1003", "PS-1004", "PS-1005"], second.Strings("avid"));
        Assert.Equal(1000, (await client.ApiGetAsync("/actors/?page_size=5000")).Is(200).Pagination.GetProperty("page_size").GetInt32());
        Assert.Equal(500, (await client.ApiGetAsync("/genres/?page_size=500")).Is(200).Pagination.GetProperty("page_size").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Bad_query_values_are_400_envelopes_naming_the_parameter(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("BAD-001");
        var client = app.CreateClient();

        foreach (var (query, parameter) in new[]
                 {
                     ("page=x", "page"), ("page=abc", "page"), ("page=1.5", "page"), ("page_size=0", "page_size"),
                     ("page_size=abc", "page_size"), ("page_size=-1", "page_size"), ("page_size=1e3", "page_size"),
                     ("ordering=nope", "ordering"), ("ordering=-nope", "ordering"), ("ordering=avid;drop", "ordering"),
                     ("file_exists=maybe", "file_exists"), ("watched=maybe", "watched"), ("is_favorite=2", "is_favorite"),
                     ("sort_by=nope", "sort_by"), ("order=sideways", "order"), ("status=done", "status"),
                     ("page_size=-99999999999999999999", "page_size"), ("page=--1", "page"),
                 })
        {
            var answer = (await client.ApiGetAsync("/resources/?" + query)).Is(400);
            Assert.Contains(parameter, answer.Message);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Data.ValueKind);
        }
    }
}
