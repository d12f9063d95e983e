using System.Net;

namespace NasSav.Catalog.Tests.Hosting;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_catalog_host_describes_its_rest_surface()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite);
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"/nassav/api/resources\"", body);
        Assert.Contains("\"/nassav/api/resource/cover\"", body);
    }
}
