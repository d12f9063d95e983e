using Microsoft.EntityFrameworkCore;

namespace NasSav.Maintenance.Data;

/// <summary>Maintenance's own tables (job runs); it may share the catalog's database, with its own migrations history table.</summary>
public sealed class MaintenanceDbContext(DbContextOptions<MaintenanceDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__maintenance_migrations";

    public DbSet<JobRun> Runs => Set<JobRun>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<JobRun>(e =>
        {
            e.ToTable("maintenance_runs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Job).HasColumnName("job").HasMaxLength(64);
            e.Property(x => x.Trigger).HasColumnName("trigger").HasMaxLength(16);
            e.Property(x => x.Apply).HasColumnName("apply");
            e.Property(x => x.Status).HasColumnName("status").HasMaxLength(16);
            e.Property(x => x.ScheduledFor).HasColumnName("scheduled_for");
            e.Property(x => x.StartedAt).HasColumnName("started_at");
            e.Property(x => x.HeartbeatAt).HasColumnName("heartbeat_at");
            e.Property(x => x.EndedAt).HasColumnName("ended_at");
            e.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(200);
            e.Property(x => x.Message).HasColumnName("message").HasMaxLength(2000);
            e.Property(x => x.Counts).HasColumnName("counts");
            e.Property(x => x.Report).HasColumnName("report");
            e.Property(x => x.Log).HasColumnName("log");
        });
    }
}
