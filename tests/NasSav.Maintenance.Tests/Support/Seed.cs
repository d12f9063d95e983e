using NasSav.Catalog.Data;

namespace NasSav.Maintenance.Tests.Support;

/// <summary>Library rows written straight into catalog's tables (test set-up only; maintenance itself never does this).</summary>
public static class Seed
{
    /// <summary>One resource with two actors and two genres (shared names are reused), in one transaction.</summary>
    public static async Task<Resource> ResourceAsync(CatalogDbContext db, string avid, string[]? actors = null, string[]? genres = null,
        Action<Resource>? configure = null)
    {
        var resource = new Resource { Avid = avid, OriginalTitle = $"{avid} タイトル", Source = "Jable", ReleaseDate = "2024-01-02" };
        configure?.Invoke(resource);
        foreach (var name in actors ?? [$"演員 {avid}", "共演 花子"])
        {
            var actor = db.Actors.Local.FirstOrDefault(a => a.Name == name) ?? db.Actors.FirstOrDefault(a => a.Name == name)
                        ?? db.Actors.Add(new Actor { Name = name }).Entity;
            resource.ActorLinks.Add(new ResourceActor { Resource = resource, Actor = actor });
        }
        foreach (var name in genres ?? [$"类型 {avid}", "剧情"])
        {
            var genre = db.Genres.Local.FirstOrDefault(g => g.Name == name) ?? db.Genres.FirstOrDefault(g => g.Name == name)
                        ?? db.Genres.Add(new Genre { Name = name }).Entity;
            resource.GenreLinks.Add(new ResourceGenre { Resource = resource, Genre = genre });
        }
        db.Resources.Add(resource);
        await db.SaveChangesAsync();
        return resource;
    }
}
