using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;

namespace NasSav.Catalog.Tests.Support;

/// <summary>Test rows and files, written straight to the app's database and media folder.</summary>
public static class Seed
{
    public static Task<Resource> ResourceAsync(this CatalogApp app, string avid, Action<Resource>? configure = null,
        string[]? actors = null, string[]? genres = null) =>
        app.WithDbAsync(async db =>
        {
            var resource = new Resource { Avid = avid, OriginalTitle = $"{avid} 测试作品", Source = "test" };
            configure?.Invoke(resource);
            foreach (var name in actors ?? [])
            {
                var actor = await db.Actors.FirstOrDefaultAsync(a => a.Name == name) ?? db.Actors.Add(new Actor { Name = name }).Entity;
                resource.ActorLinks.Add(new ResourceActor { Actor = actor });
            }
            foreach (var name in genres ?? [])
            {
                var genre = await db.Genres.FirstOrDefaultAsync(g => g.Name == name) ?? db.Genres.Add(new Genre { Name = name }).Entity;
                resource.GenreLinks.Add(new ResourceGenre { Genre = genre });
            }
            db.Resources.Add(resource);
            await db.SaveChangesAsync();
            return resource;
        });

    public static Task<Actor> ActorAsync(this CatalogApp app, string name, string? avatarUrl = null, string? avatarFilename = null) =>
        app.WithDbAsync(async db =>
        {
            var actor = new Actor { Name = name, AvatarUrl = avatarUrl, AvatarFilename = avatarFilename };
            db.Actors.Add(actor);
            await db.SaveChangesAsync();
            return actor;
        });

    public static Task<Resource?> FindAsync(this CatalogApp app, string avid) =>
        app.WithDbAsync(db => db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Avid == avid));

    /// <summary>Writes a file under the media root, e.g. "cover/ABC-1.jpg".</summary>
    public static string WriteMedia(this CatalogApp app, string key, int size = 16)
    {
        var path = Path.Combine(app.MediaRoot, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }

    public static bool MediaExists(this CatalogApp app, string key) => File.Exists(Path.Combine(app.MediaRoot, key));
}
