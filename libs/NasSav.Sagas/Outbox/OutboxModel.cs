using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace NasSav.Sagas.Outbox;

/// <summary>
/// The outbox and inbox tables in a service's own DbContext: <c>model.MapOutbox()</c> in OnModelCreating and
/// <c>m.CreateOutboxTables()</c> in a hand-written migration of the same context. Two contexts sharing one
/// database (standalone) give different prefixes.
/// </summary>
public static class OutboxModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    public static ModelBuilder MapOutbox(this ModelBuilder model, string tablePrefix = "")
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable(tablePrefix + OutboxTable);
            e.HasKey(x => x.SequenceNumber);
            e.Property(x => x.SequenceNumber).HasColumnName("sequence_number").ValueGeneratedOnAdd();
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.PublishType).HasColumnName("publish_type").HasMaxLength(512);
            e.Property(x => x.DestinationAddress).HasColumnName("destination_address").HasMaxLength(1024);
            e.Property(x => x.SourceAddress).HasColumnName("source_address").HasMaxLength(1024);
            e.Property(x => x.ResponseAddress).HasColumnName("response_address").HasMaxLength(1024);
            e.Property(x => x.FaultAddress).HasColumnName("fault_address").HasMaxLength(1024);
            e.Property(x => x.ConversationId).HasColumnName("conversation_id");
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id");
            e.Property(x => x.InitiatorId).HasColumnName("initiator_id");
            e.Property(x => x.RequestId).HasColumnName("request_id");
            e.Property(x => x.ContentType).HasColumnName("content_type").HasMaxLength(256);
            e.Property(x => x.MessageType).HasColumnName("message_type");
            e.Property(x => x.Body).HasColumnName("body");
            e.Property(x => x.Headers).HasColumnName("headers");
            e.Property(x => x.Properties).HasColumnName("properties");
            e.Property(x => x.SentTime).HasColumnName("sent_time");
            e.Property(x => x.ExpirationTime).HasColumnName("expiration_time");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.TokenId).HasColumnName("token_id");
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2000);
            e.Property(x => x.LockedUntil).HasColumnName("locked_until");
            e.Property(x => x.LockedBy).HasColumnName("locked_by").HasMaxLength(256);
            e.HasIndex(x => x.DueAt);
            e.HasIndex(x => x.TokenId);
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable(tablePrefix + InboxTable);
            e.HasKey(x => new { x.MessageId, x.Consumer });
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.Consumer).HasColumnName("consumer").HasMaxLength(256);
            e.Property(x => x.ReceivedAt).HasColumnName("received_at");
            e.HasIndex(x => x.ReceivedAt);
        });
        return model;
    }

    /// <summary>The tables of <see cref="MapOutbox"/>, for a migration (one class serves SQLite and PostgreSQL).</summary>
    public static void CreateOutboxTables(this MigrationBuilder m, string tablePrefix = "")
    {
        var outbox = tablePrefix + OutboxTable;
        m.CreateTable(outbox, t => new
        {
            sequence_number = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            message_id = t.Column<Guid>(nullable: false),
            publish_type = t.Column<string>(maxLength: 512, nullable: true),
            destination_address = t.Column<string>(maxLength: 1024, nullable: false),
            source_address = t.Column<string>(maxLength: 1024, nullable: true),
            response_address = t.Column<string>(maxLength: 1024, nullable: true),
            fault_address = t.Column<string>(maxLength: 1024, nullable: true),
            conversation_id = t.Column<Guid>(nullable: true),
            correlation_id = t.Column<Guid>(nullable: true),
            initiator_id = t.Column<Guid>(nullable: true),
            request_id = t.Column<Guid>(nullable: true),
            content_type = t.Column<string>(maxLength: 256, nullable: false),
            message_type = t.Column<string>(nullable: true),
            body = t.Column<string>(nullable: false),
            headers = t.Column<string>(nullable: true),
            properties = t.Column<string>(nullable: true),
            sent_time = t.Column<DateTime>(nullable: false),
            expiration_time = t.Column<DateTime>(nullable: true),
            created_at = t.Column<DateTime>(nullable: false),
            due_at = t.Column<DateTime>(nullable: false),
            token_id = t.Column<Guid>(nullable: true),
            attempts = t.Column<int>(nullable: false, defaultValue: 0),
            last_error = t.Column<string>(maxLength: 2000, nullable: true),
            locked_until = t.Column<DateTime>(nullable: true),
            locked_by = t.Column<string>(maxLength: 256, nullable: true),
        }, constraints: t => t.PrimaryKey($"pk_{outbox}", x => x.sequence_number));
        m.CreateIndex($"ix_{outbox}_due_at", outbox, "due_at");
        m.CreateIndex($"ix_{outbox}_token_id", outbox, "token_id");

        var inbox = tablePrefix + InboxTable;
        m.CreateTable(inbox, t => new
        {
            message_id = t.Column<Guid>(nullable: false),
            consumer = t.Column<string>(maxLength: 256, nullable: false),
            received_at = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey($"pk_{inbox}", x => new { x.message_id, x.consumer }));
        m.CreateIndex($"ix_{inbox}_received_at", inbox, "received_at");
    }

    public static void DropOutboxTables(this MigrationBuilder m, string tablePrefix = "")
    {
        m.DropTable(tablePrefix + InboxTable);
        m.DropTable(tablePrefix + OutboxTable);
    }
}

/// <summary>The outbox and inbox table names of one DbContext model, quoted for its provider (for the few raw statements).</summary>
internal sealed class OutboxTables
{
    private static readonly ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, OutboxTables> Cache = new();

    public required string Outbox { get; init; }
    public required string Inbox { get; init; }

    /// <summary>Parameters: message id, consumer, time. One row inserted, or none when the pair is there already.</summary>
    public string InsertInboxSql => $"INSERT INTO {Inbox} (message_id, consumer, received_at) VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING";

    /// <summary>PostgreSQL: due rows nobody holds, locked and skipped by other claimers. Parameters: now, batch size.</summary>
    public string ClaimDueSql =>
        $"SELECT * FROM {Outbox} WHERE due_at <= {{0}} AND (locked_until IS NULL OR locked_until < {{0}}) ORDER BY sequence_number LIMIT {{1}} FOR UPDATE SKIP LOCKED";

    public static OutboxTables For(DbContext db) => Cache.GetValue(db.Model, _ =>
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        string Quoted<T>() where T : class
        {
            var entity = db.Model.FindEntityType(typeof(T))
                ?? throw new InvalidOperationException($"{db.GetType().Name} does not map the outbox: call modelBuilder.MapOutbox() in OnModelCreating.");
            return sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        }
        return new OutboxTables { Outbox = Quoted<OutboxMessage>(), Inbox = Quoted<InboxMessage>() };
    });
}
