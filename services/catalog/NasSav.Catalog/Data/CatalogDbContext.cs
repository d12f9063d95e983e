using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Outbox;
using NasSav.Sagas;
using NasSav.Catalog.Lifecycle;

namespace NasSav.Catalog.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options, TimeProvider? clock = null) : DbContext(options)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<Actor> Actors => Set<Actor>();
    public DbSet<Genre> Genres => Set<Genre>();
    public DbSet<ResourceActor> ResourceActors => Set<ResourceActor>();
    public DbSet<ResourceGenre> ResourceGenres => Set<ResourceGenre>();
    public DbSet<SourceCookie> SourceCookies => Set<SourceCookie>();
    public DbSet<UserSetting> UserSettings => Set<UserSetting>();
    public DbSet<SourceHealth> SourceHealth => Set<SourceHealth>();
    /// <summary>The lifecycle saga's instances (written by the saga repository, read here for diagnostics).</summary>
    public DbSet<ResourceLifecycle> ResourceLifecycles => Set<ResourceLifecycle>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Resource>(e =>
        {
            e.ToTable("resources");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Avid).HasColumnName("avid").HasMaxLength(50);
            e.HasIndex(x => x.Avid).IsUnique();
            e.Property(x => x.OriginalTitle).HasColumnName("original_title").HasMaxLength(512);
            e.Property(x => x.SourceTitle).HasColumnName("source_title").HasMaxLength(512);
            e.Property(x => x.TranslatedTitle).HasColumnName("translated_title").HasMaxLength(512);
            e.Property(x => x.TranslationStatus).HasColumnName("translation_status").HasMaxLength(20);
            e.Property(x => x.TranslationError).HasColumnName("translation_error").HasMaxLength(1000);
            e.Property(x => x.Source).HasColumnName("source").HasMaxLength(128);
            e.Property(x => x.ReleaseDate).HasColumnName("release_date").HasMaxLength(64);
            e.Property(x => x.Duration).HasColumnName("duration");
            e.Property(x => x.Metadata).HasColumnName("metadata");
            e.Property(x => x.M3u8).HasColumnName("m3u8");
            e.Property(x => x.SourcePageUrl).HasColumnName("source_page_url");
            e.Property(x => x.CoverFilename).HasColumnName("cover_filename").HasMaxLength(255);
            e.Property(x => x.FileExists).HasColumnName("file_exists");
            e.Property(x => x.FileSize).HasColumnName("file_size");
            e.Property(x => x.Watched).HasColumnName("watched");
            e.Property(x => x.IsFavorite).HasColumnName("is_favorite");
            e.Property(x => x.MetadataCreatedAt).HasColumnName("metadata_created_at");
            e.Property(x => x.MetadataUpdatedAt).HasColumnName("metadata_updated_at");
            e.Property(x => x.VideoSavedAt).HasColumnName("video_saved_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => x.Source);
            e.HasIndex(x => x.FileExists);
            e.HasIndex(x => x.TranslationStatus);
            e.HasIndex(x => x.MetadataCreatedAt);
            e.HasIndex(x => x.MetadataUpdatedAt);
        });
        model.Entity<Actor>(e =>
        {
            e.ToTable("actors");
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(200);
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.AvatarUrl).HasColumnName("avatar_url").HasMaxLength(1000);
            e.Property(x => x.AvatarFilename).HasColumnName("avatar_filename").HasMaxLength(255);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });
        model.Entity<Genre>(e =>
        {
            e.ToTable("genres");
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(100);
            e.HasIndex(x => x.Name).IsUnique();
        });
        model.Entity<ResourceActor>(e =>
        {
            e.ToTable("resource_actors");
            e.HasKey(x => new { x.ResourceId, x.ActorId });
            e.Property(x => x.ResourceId).HasColumnName("resource_id");
            e.Property(x => x.ActorId).HasColumnName("actor_id");
            e.HasOne(x => x.Resource).WithMany(r => r.ActorLinks).HasForeignKey(x => x.ResourceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Actor).WithMany(a => a.ResourceLinks).HasForeignKey(x => x.ActorId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.ActorId);
        });
        model.Entity<ResourceGenre>(e =>
        {
            e.ToTable("resource_genres");
            e.HasKey(x => new { x.ResourceId, x.GenreId });
            e.Property(x => x.ResourceId).HasColumnName("resource_id");
            e.Property(x => x.GenreId).HasColumnName("genre_id");
            e.HasOne(x => x.Resource).WithMany(r => r.GenreLinks).HasForeignKey(x => x.ResourceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Genre).WithMany(g => g.ResourceLinks).HasForeignKey(x => x.GenreId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.GenreId);
        });
        model.Entity<SourceCookie>(e =>
        {
            e.ToTable("source_cookies");
            e.HasKey(x => x.Source);
            e.Property(x => x.Source).HasColumnName("source").HasMaxLength(50);
            e.Property(x => x.Cookie).HasColumnName("cookie");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });
        model.Entity<UserSetting>(e =>
        {
            e.ToTable("user_settings");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasColumnName("key").HasMaxLength(64);
            e.Property(x => x.Value).HasColumnName("value").HasMaxLength(256);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });
        model.Entity<SourceHealth>(e =>
        {
            e.ToTable("source_health");
            e.HasKey(x => x.Source);
            e.Property(x => x.Source).HasColumnName("source").HasMaxLength(128);
            e.Property(x => x.LastSuccessAt).HasColumnName("last_success_at");
            e.Property(x => x.LastErrorAt).HasColumnName("last_error_at");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(1000);
            e.Property(x => x.SuccessCount).HasColumnName("success_count");
            e.Property(x => x.FailureCount).HasColumnName("failure_count");
        });
        model.Entity<ResourceLifecycle>(e =>
        {
            e.ToTable("resource_lifecycles");
            e.MapSagaInstance(); // CorrelationId key, never generated; Version a concurrency token
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id");
            e.Property(x => x.CurrentState).HasColumnName("current_state").HasMaxLength(64);
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Avid).HasColumnName("avid").HasMaxLength(50);
            e.HasIndex(x => x.Avid).IsUnique();
            e.Property(x => x.RequestedSource).HasColumnName("requested_source").HasMaxLength(128);
            e.Property(x => x.Source).HasColumnName("source").HasMaxLength(128);
            e.Property(x => x.SourceCoverUrl).HasColumnName("source_cover_url");
            e.Property(x => x.IsRefresh).HasColumnName("is_refresh");
            e.Property(x => x.RefreshM3u8).HasColumnName("refresh_m3u8");
            e.Property(x => x.RefreshMetadata).HasColumnName("refresh_metadata");
            e.Property(x => x.Retranslate).HasColumnName("retranslate");
            e.Property(x => x.ForceTranslation).HasColumnName("force_translation");
            e.Property(x => x.M3u8Updated).HasColumnName("m3u8_updated");
            e.Property(x => x.MetadataFound).HasColumnName("metadata_found");
            e.Property(x => x.CoverSaved).HasColumnName("cover_saved");
            e.Property(x => x.TranslationQueued).HasColumnName("translation_queued");
            e.Property(x => x.RequestedAt).HasColumnName("requested_at");
            e.Property(x => x.SourceResolvedAt).HasColumnName("source_resolved_at");
            e.Property(x => x.MetadataCompletedAt).HasColumnName("metadata_completed_at");
            e.Property(x => x.TranslationCompletedAt).HasColumnName("translation_completed_at");
            e.Property(x => x.ReadyAt).HasColumnName("ready_at");
            e.Property(x => x.FailedAt).HasColumnName("failed_at");
            e.Property(x => x.StepDeadline).HasColumnName("step_deadline");
            e.Property(x => x.RepairAttempts).HasColumnName("repair_attempts");
            e.Property(x => x.LastRepairAt).HasColumnName("last_repair_at");
            e.Property(x => x.FailedStep).HasColumnName("failed_step").HasMaxLength(32);
            e.Property(x => x.FailureReason).HasColumnName("failure_reason");
            e.Property(x => x.FailureCode).HasColumnName("failure_code");
            e.Property(x => x.PendingRequestId).HasColumnName("pending_request_id");
            e.Property(x => x.PendingResponseAddress).HasColumnName("pending_response_address");
            e.Property(x => x.PendingKind).HasColumnName("pending_kind").HasMaxLength(16);
            e.Property(x => x.StepTimeoutTokenId).HasColumnName("step_timeout_token_id");
            e.Property(x => x.DownloadTaskId).HasColumnName("download_task_id").HasMaxLength(64);
            e.Property(x => x.DownloadEpoch).HasColumnName("download_epoch");
            e.Property(x => x.DownloadMock).HasColumnName("download_mock");
            e.Property(x => x.DownloadQueuedAt).HasColumnName("download_queued_at");
            e.Property(x => x.DownloadStartedAt).HasColumnName("download_started_at");
            e.Property(x => x.DownloadEndedAt).HasColumnName("download_ended_at");
            e.Property(x => x.DownloadInstance).HasColumnName("download_instance").HasMaxLength(256);
            e.Property(x => x.DownloadError).HasColumnName("download_error");
        });
        // What the saga and the endpoints publish, committed with what they write (ServiceDefaults/Outbox).
        model.MapOutbox();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTimes();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTimes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Microsecond precision: what PostgreSQL keeps, so both providers give the same ETags.</summary>
    public DateTime UtcNow()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>
    /// The peer bumped metadata_updated_at only on full saves, so translations and status changes left
    /// ETags stale. Here any change to a resource or to its actor/genre links moves it.
    /// </summary>
    private void StampTimes()
    {
        var now = UtcNow();
        var touched = new HashSet<long>();
        foreach (var entry in ChangeTracker.Entries().ToList())
        {
            switch (entry.Entity)
            {
                case Resource r when entry.State == EntityState.Added:
                    r.CreatedAt = r.CreatedAt == default ? now : r.CreatedAt;
                    r.MetadataCreatedAt ??= now;
                    r.MetadataUpdatedAt = now;
                    break;
                case Resource r when entry.State == EntityState.Modified:
                    r.MetadataUpdatedAt = now;
                    break;
                case ResourceActor link when entry.State is EntityState.Added or EntityState.Deleted:
                    touched.Add(link.ResourceId);
                    break;
                case ResourceGenre link when entry.State is EntityState.Added or EntityState.Deleted:
                    touched.Add(link.ResourceId);
                    break;
                case Actor a when entry.State is EntityState.Added or EntityState.Modified:
                    a.UpdatedAt = now;
                    break;
                case SourceCookie c when entry.State is EntityState.Added or EntityState.Modified:
                    c.UpdatedAt = now;
                    break;
                case UserSetting s when entry.State is EntityState.Added or EntityState.Modified:
                    s.UpdatedAt = now;
                    break;
            }
        }
        foreach (var id in touched)
        {
            var resource = Resources.Local.FirstOrDefault(r => r.Id == id);
            if (resource is not null && Entry(resource).State != EntityState.Deleted) resource.MetadataUpdatedAt = now;
        }
    }
}
