using System.Net;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Tests.Covers;

namespace NasSav.Catalog.Tests.Avatars;

/// <summary>GET /actors/{id}/avatar against SQLite and PostgreSQL.</summary>
public sealed class AvatarEndpointTests
{
    private static string Url(object id) => $"/nassav/api/actors/{id}/avatar";

    private static async Task<long> AddActorAsync(CatalogApp app, string name, string? fileName, string? url = "https://example.test/a.jpg") =>
        await app.WithDbAsync(async db =>
        {
            var actor = new Actor { Name = name, AvatarFilename = fileName, AvatarUrl = url, UpdatedAt = DateTime.UtcNow };
            db.Actors.Add(actor);
            await db.SaveChangesAsync();
            return actor.Id;
        });

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task Every_failure_is_an_envelope(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        using var client = app.CreateClient();
        var noFile = await AddActorAsync(app, "无头像", null);
        var emptyFile = await AddActorAsync(app, "空头像", "");
        var placeholder = await AddActorAsync(app, "占位", "placeholder.jpg", "https://pics.dmm.co.jp/mono/actjpgs/nowprinting.gif");
        await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(app.MediaRoot, "avatar")).FullName, "placeholder.jpg"), [1, 2, 3]);
        var missingFile = await AddActorAsync(app, "丢失", "gone.jpg");

        foreach (var id in new[] { "abc", "1.5", "-1", "99999999999999999999999" })
        {
            using var bad = await client.GetAsync(Url(id));
            await TestMedia.AssertEnvelopeAsync(bad, HttpStatusCode.BadRequest);
        }
        using (var response = await client.GetAsync(Url(987654)))
            Assert.Equal("演员不存在", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.NotFound));
        foreach (var id in new[] { noFile, emptyFile, placeholder })
        {
            using var response = await client.GetAsync(Url(id));
            Assert.Equal("演员头像不存在", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.NotFound));
        }
        using (var response = await client.GetAsync(Url(missingFile)))
            Assert.Equal("头像文件不存在", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData(DbKind.Sqlite, "../../secret.jpg")]
    [InlineData(DbKind.Postgres, "../../secret.jpg")]
    [InlineData(DbKind.Sqlite, "../cover/TRAV-1.jpg")]
    [InlineData(DbKind.Sqlite, "sub/../../secret.jpg")]
    [InlineData(DbKind.Sqlite, "/etc/hostname")]
    [InlineData(DbKind.Sqlite, "..")]
    [InlineData(DbKind.Sqlite, "a\0.jpg")]
    public async Task A_file_name_that_leaves_the_avatar_folder_is_never_served(DbKind kind, string fileName)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        using var client = app.CreateClient();
        // Targets that exist, so a traversal would find something to serve.
        Directory.CreateDirectory(app.MediaRoot);
        await File.WriteAllTextAsync(Path.Combine(app.DataRoot, "secret.jpg"), "secret");
        await File.WriteAllTextAsync(Path.Combine(app.MediaRoot, "secret.jpg"), "secret");
        await TestMedia.MakeImageAsync(Path.Combine(app.MediaRoot, "cover", "TRAV-1.jpg"), 32, 32);
        Directory.CreateDirectory(Path.Combine(app.MediaRoot, "avatar", "sub"));
        var id = await AddActorAsync(app, "穿越", fileName);

        using var response = await client.GetAsync(Url(id));

        Assert.Equal("头像文件不存在", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task The_avatar_is_streamed_with_its_type_and_validators(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        using var client = app.CreateClient();
        var jpg = await TestMedia.MakeImageAsync(Path.Combine(app.MediaRoot, "avatar", "alice_01.jpg"), 120, 160);
        var png = await TestMedia.MakeImageAsync(Path.Combine(app.MediaRoot, "avatar", "bob.png"), 120, 160, "blue");
        var alice = await AddActorAsync(app, "Alice", "alice_01.jpg");
        var bob = await AddActorAsync(app, "Bob", "bob.png", url: null);

        foreach (var (id, path, type) in new[] { (alice, jpg, "image/jpeg"), (bob, png, "image/png") })
        {
            using var response = await client.GetAsync(Url(id));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
            Assert.Equal($"inline; filename=\"{Path.GetFileName(path)}\"", response.Content.Headers.ContentDisposition?.ToString());
            var file = new FileInfo(path);
            Assert.Equal(ConditionalGet.FileETag(file.LastWriteTimeUtc, file.Length), response.Headers.ETag?.ToString());
            Assert.Equal(ConditionalGet.TruncateToSeconds(file.LastWriteTimeUtc), response.Content.Headers.LastModified);
            Assert.Equal("public, no-cache", response.Headers.CacheControl?.ToString());

            using var conditional = new HttpRequestMessage(HttpMethod.Get, Url(id));
            conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(response.Headers.ETag, notModified.Headers.ETag);

            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url(id) + "/"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(file.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }
}
