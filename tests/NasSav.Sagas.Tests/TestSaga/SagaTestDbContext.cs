using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NasSav.Sagas.Outbox;
using NasSav.Sagas;

namespace NasSav.Sagas.Tests.TestSaga;

/// <summary>A service's DbContext hosting a saga next to its own entities, as catalog does.</summary>
public sealed class SagaTestDbContext(DbContextOptions<SagaTestDbContext> options) : DbContext(options)
{
    public DbSet<OrderState> Orders => Set<OrderState>();
    public DbSet<OrderNote> Notes => Set<OrderNote>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<OrderState>(e =>
        {
            e.ToTable("order_sagas");
            e.MapSagaInstance();
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id");
            e.Property(x => x.CurrentState).HasColumnName("current_state").HasMaxLength(64);
            e.Property(x => x.Customer).HasColumnName("customer").HasMaxLength(200);
            e.Property(x => x.Counter).HasColumnName("counter");
            e.Property(x => x.Notes).HasColumnName("notes");
            e.Property(x => x.Notices).HasColumnName("notices");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Retried).HasColumnName("retried");
            e.Property(x => x.ReminderTokenId).HasColumnName("reminder_token_id");
            e.Property(x => x.Reminded).HasColumnName("reminded");
            e.HasIndex(x => x.Customer);
        });
        model.Entity<OrderNote>(e =>
        {
            e.ToTable("order_notes");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.OrderId).HasColumnName("order_id");
            e.Property(x => x.Text).HasColumnName("text").IsRequired();
        });
        model.MapOutbox();
    }
}

/// <summary>The saga table, written by hand like every NasSav migration (one class for SQLite and PostgreSQL).</summary>
[DbContext(typeof(SagaTestDbContext))]
[Migration(Id)]
public sealed class M0001_OrderSagas : Migration
{
    public const string Id = "20261201000000_OrderSagas";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("order_sagas", t => new
        {
            correlation_id = t.Column<Guid>(nullable: false),
            current_state = t.Column<string>(maxLength: 64, nullable: false),
            customer = t.Column<string>(maxLength: 200, nullable: true),
            counter = t.Column<int>(nullable: false),
            notes = t.Column<int>(nullable: false),
            notices = t.Column<int>(nullable: false),
            version = t.Column<int>(nullable: false),
            retried = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_order_sagas", x => x.correlation_id));
        m.CreateIndex("ix_order_sagas_customer", "order_sagas", "customer");

        m.CreateTable("order_notes", t => new
        {
            id = t.Column<Guid>(nullable: false),
            order_id = t.Column<Guid>(nullable: false),
            text = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_order_notes", x => x.id));
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("order_notes");
        m.DropTable("order_sagas");
    }
}

/// <summary>The outbox and inbox (NasSav.Sagas' helper; the saga definition's transaction writes them) and the reminder schedule.</summary>
[DbContext(typeof(SagaTestDbContext))]
[Migration(Id)]
public sealed class M0002_Outbox : Migration
{
    public const string Id = "20261202000000_Outbox";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateOutboxTables();
        m.AddColumn<Guid>("reminder_token_id", "order_sagas", nullable: true);
        m.AddColumn<int>("reminded", "order_sagas", nullable: false, defaultValue: 0);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropColumn("reminded", "order_sagas");
        m.DropColumn("reminder_token_id", "order_sagas");
        m.DropOutboxTables();
    }
}
