using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Resources;

public static class ResourceLoading
{
    /// <summary>The resource with its actors and genres (for shapes A and M), tracked so callers can change it.</summary>
    public static Task<Resource?> FindWithLinksAsync(this CatalogDbContext db, Avid avid, CancellationToken ct) =>
        db.Resources
            .Include(r => r.ActorLinks).ThenInclude(l => l.Actor)
            .Include(r => r.GenreLinks).ThenInclude(l => l.Genre)
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Avid == avid.Value, ct);

    public static Task<Resource?> FindAsync(this CatalogDbContext db, Avid avid, CancellationToken ct) =>
        db.Resources.FirstOrDefaultAsync(r => r.Avid == avid.Value, ct);
}
