using System.Text.Json;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Resources;

public sealed class ResourceDeleteTests
{
    [Theory, BothDatabases]
    public async Task Delete_removes_every_file_and_the_row(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("DEL-001", r => { r.FileExists = true; r.M3u8 = "https://x/p.m3u8"; }, actors: ["Alice"], genres: ["素人"]);
        await app.ResourceAsync("KEEP-001");
        string[] keys =
        [
            "cover/DEL-001.jpg", "cover/DEL-001.webp", "cover/DEL-001.html", "thumbnails/small/DEL-001.jpg",
            "thumbnails/medium/DEL-001.jpg", "thumbnails/large/DEL-001.jpg", "video/DEL-001.mp4",
        ];
        foreach (var key in keys) app.WriteMedia(key);
        app.WriteMedia("cover/KEEP-001.jpg");

        var answer = (await app.CreateClient().SendAsync(HttpMethod.Delete, "/resource/del-001")).Is(200);
        Assert.Equal("DEL-001", answer.Data.GetProperty("avid").GetString());
        Assert.Equal(["DEL-001.jpg", "DEL-001.webp", "DEL-001.html", "thumbnail/small/DEL-001.jpg", "thumbnail/medium/DEL-001.jpg",
            "thumbnail/large/DEL-001.jpg", "DEL-001.mp4"], answer.Data.GetProperty("deleted_files").EnumerateArray().Select(f => f.GetString()));
        var resource = answer.Data.GetProperty("resource");
        Assert.Equal("https://x/p.m3u8", resource.GetProperty("m3u8").GetString());
        Assert.Equal(["Alice"], resource.GetProperty("actors").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("", resource.GetProperty("translated_title").GetString());

        Assert.All(keys, k => Assert.False(app.MediaExists(k), k));
        Assert.True(app.MediaExists("cover/KEEP-001.jpg"));
        Assert.Null(await app.FindAsync("DEL-001"));
        Assert.NotNull(await app.FindAsync("KEEP-001"));
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.ResourceActors.Count())));
    }

    [Theory, BothDatabases]
    public async Task Delete_without_files_still_deletes_the_row_and_404s_only_when_nothing_exists(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("ROW-ONLY");
        app.WriteMedia("video/FILE-ONLY.mp4");
        var client = app.CreateClient();

        var rowOnly = (await client.SendAsync(HttpMethod.Delete, "/resource/ROW-ONLY")).Is(200);
        Assert.Empty(rowOnly.Data.GetProperty("deleted_files").EnumerateArray());
        Assert.Null(await app.FindAsync("ROW-ONLY"));

        var fileOnly = (await client.SendAsync(HttpMethod.Delete, "/resource/FILE-ONLY")).Is(200);
        Assert.Equal(JsonValueKind.Null, fileOnly.Data.GetProperty("resource").ValueKind);
        Assert.Equal(["FILE-ONLY.mp4"], fileOnly.Data.GetProperty("deleted_files").EnumerateArray().Select(f => f.GetString()));

        Assert.Equal("资源 ROW-ONLY 不存在", (await client.SendAsync(HttpMethod.Delete, "/resource/ROW-ONLY")).Is(404).Message);
    }
}
