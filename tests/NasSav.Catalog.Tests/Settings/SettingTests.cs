using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Settings;

public sealed class SettingTests
{
    [Theory, BothDatabases]
    public async Task Conformance_get_defaults_update_partial_update_and_persist(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();

        var initial = (await client.ApiGetAsync("/setting")).Is(200);
        Assert.Equal("success", initial.Message);
        Assert.Equal("""{"enable_avatar":"true","display_title":"source_title"}""", initial.Data.GetRawText());

        var updated = (await client.SendAsync(HttpMethod.Put, "/setting", """{"enable_avatar":"false","display_title":"translated_title"}""")).Is(200);
        Assert.Equal("设置已更新", updated.Message);
        Assert.Equal("false", updated.Data.GetProperty("enable_avatar").GetString());
        Assert.Equal("translated_title", updated.Data.GetProperty("display_title").GetString());

        var partial = (await client.SendAsync(HttpMethod.Put, "/setting", """{"enable_avatar":"true","unknown":1}""")).Is(200);
        Assert.Equal("true", partial.Data.GetProperty("enable_avatar").GetString());
        Assert.Equal("translated_title", partial.Data.GetProperty("display_title").GetString());

        (await client.SendAsync(HttpMethod.Put, "/setting", "{}")).Is(200);
        var stored = await app.WithDbAsync(db => Task.FromResult(db.UserSettings.ToDictionary(s => s.Key, s => s.Value)));
        Assert.Equal("true", stored["enable_avatar"]);
        Assert.Equal("translated_title", stored["display_title"]);
        Assert.Equal("translated_title", (await client.ApiGetAsync("/setting")).Data.GetProperty("display_title").GetString());
    }

    [Theory, BothDatabases]
    public async Task Invalid_values_and_json_booleans_are_400_with_the_field(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();

        var avatar = (await client.SendAsync(HttpMethod.Put, "/setting", """{"enable_avatar":"yes"}""")).Is(400);
        Assert.Equal("参数验证失败", avatar.Message);
        Assert.Equal("enable_avatar 必须是 'true' 或 'false'", avatar.Data.GetProperty("enable_avatar")[0].GetString());

        var title = (await client.SendAsync(HttpMethod.Put, "/setting", """{"display_title":"title"}""")).Is(400);
        Assert.Equal("display_title 必须是 original_title, source_title, translated_title 之一", title.Data.GetProperty("display_title")[0].GetString());

        var boolean = (await client.SendAsync(HttpMethod.Put, "/setting", """{"enable_avatar":true}""")).Is(400);
        Assert.True(boolean.Data.TryGetProperty("enable_avatar", out _));
        (await client.SendAsync(HttpMethod.Put, "/setting", """{"display_title":null}""")).Is(400);
        (await client.SendAsync(HttpMethod.Put, "/setting", """{"enable_avatar":"false",""")).Is(400);
        (await client.SendAsync(HttpMethod.Put, "/setting", "[]")).Is(400);

        // Nothing was written by the rejected requests.
        Assert.Equal("""{"enable_avatar":"true","display_title":"source_title"}""", (await client.ApiGetAsync("/setting")).Data.GetRawText());
    }
}
