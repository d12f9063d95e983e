using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Resources;

public sealed class ResourceStatusTests
{
    [Theory, BothDatabases]
    public async Task Status_takes_strict_booleans(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("STS-001");
        var client = app.CreateClient();
        Task<ApiAnswer> Patch(string avid, string json) => client.SendAsync(HttpMethod.Patch, $"/resource/{avid}/status", json);

        var both = (await Patch("sts-001", """{"watched":true,"is_favorite":true}""")).Is(200);
        Assert.Equal("""{"avid":"STS-001","watched":true,"is_favorite":true}""", both.Data.GetRawText());
        var one = (await Patch("STS-001", """{"watched":false}""")).Is(200);
        Assert.Equal("""{"avid":"STS-001","watched":false,"is_favorite":true}""", one.Data.GetRawText());

        Assert.Equal("watched 参数必须是布尔值", (await Patch("STS-001", """{"watched":"true"}""")).Is(400).Message);
        Assert.Equal("is_favorite 参数必须是布尔值", (await Patch("STS-001", """{"is_favorite":1}""")).Is(400).Message);
        Assert.Equal("未提供任何要更新的字段", (await Patch("STS-001", "{}")).Is(400).Message);
        Assert.Equal("未提供任何要更新的字段", (await Patch("STS-001", "")).Is(400).Message);
        (await Patch("STS-001", "{\"watched\":")).Is(400);
        Assert.Equal("资源 NOPE-001 不存在", (await Patch("NOPE-001", """{"watched":true}""")).Is(404).Message);

        var row = await app.FindAsync("STS-001");
        Assert.False(row!.Watched);
        Assert.True(row.IsFavorite);
    }
}
