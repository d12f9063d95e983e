using NasSav.Catalog.Data;

namespace NasSav.Bench;

/// <summary>A library of <c>count</c> resources, each with 3 of 200 actors and 2 of 40 genres.</summary>
public static class Seeder
{
    public static async Task SeedAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var actors = Enumerable.Range(1, 200).Select(i => new Actor { Name = $"演员{i:000}（测试）", AvatarUrl = $"https://example.test/a/{i}.jpg", AvatarFilename = $"{i}.jpg" }).ToList();
        var genres = Enumerable.Range(1, 40).Select(i => new Genre { Name = $"类别{i:00}" }).ToList();
        db.Actors.AddRange(actors);
        db.Genres.AddRange(genres);
        await db.SaveChangesAsync();
        for (var start = 0; start < count; start += 500)
        {
            for (var i = start; i < Math.Min(count, start + 500); i++)
            {
                var r = new Resource
                {
                    Avid = $"BENCH-{i:00000}",
                    OriginalTitle = $"ベンチマーク作品 {i}",
                    SourceTitle = $"BENCH-{i:00000} 基准作品 {i}",
                    Source = i % 3 == 0 ? "MissAV" : "Jable",
                    ReleaseDate = $"2024-{1 + i % 12:00}-{1 + i % 28:00}",
                    Duration = 7200,
                    FileExists = i % 2 == 0,
                    FileSize = i % 2 == 0 ? 1_000_000_000L : null,
                    VideoSavedAt = i % 2 == 0 ? DateTime.UtcNow.AddMinutes(-i) : null,
                };
                r.ActorLinks.AddRange(Enumerable.Range(0, 3).Select(k => new ResourceActor { Actor = actors[(i * 7 + k * 13) % actors.Count] }));
                r.GenreLinks.AddRange(Enumerable.Range(0, 2).Select(k => new ResourceGenre { Genre = genres[(i * 3 + k * 11) % genres.Count] }));
                db.Resources.Add(r);
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            db.Actors.AttachRange(actors);
            db.Genres.AttachRange(genres);
        }
    }
}
