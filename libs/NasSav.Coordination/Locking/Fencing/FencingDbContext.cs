using Microsoft.EntityFrameworkCore;

namespace NasSav.Coordination.Locking.Fencing;

/// <summary>
/// One table, <c>fencing_epochs</c>, on the service's configured database. Its own migrations history table
/// (<see cref="HistoryTable"/>) lets it share a database with the service's own DbContext.
/// </summary>
public sealed class FencingDbContext(DbContextOptions<FencingDbContext> options) : DbContext(options)
{
    public const string HistoryTable = "__fencing_migrations";

    public DbSet<FencingEpoch> Epochs => Set<FencingEpoch>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<FencingEpoch>(e =>
        {
            e.ToTable("fencing_epochs");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(x => x.Epoch).HasColumnName("epoch");
            e.Property(x => x.Holder).HasColumnName("holder").HasMaxLength(300);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });
    }
}

public sealed class FencingEpoch
{
    public string Name { get; set; } = "";
    public long Epoch { get; set; }
    public string Holder { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}
