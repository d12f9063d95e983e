using System.Text.Json;
using NasSav.Testing;
using Npgsql;

namespace NasSav.SystemTests.Faults;

/// <summary>
/// What the catalog database and the broker say about a set of AVIDs, read straight from the private servers (not
/// through the services under test). Reads fail while a server is down: callers poll.
/// </summary>
public sealed class LibraryProbe(PrivateServers servers)
{
    /// <summary>One AVID: its lifecycle and whether its row is complete (titles, date, metadata JSON, m3u8, actors, genres).</summary>
    public sealed record AvidState(string Avid, string? State, string? FailedStep, string? FailureReason, bool HasRow,
        bool HasMetadata, bool FileExists, int Rows, int Lifecycles)
    {
        public bool ReadyWithMetadata => State == "Ready" && HasMetadata;

        public string Describe() => (State, HasRow) switch
        {
            (null, false) => "no lifecycle, no row",
            (null, true) => "a row without lifecycle" + (HasMetadata ? "" : " and without metadata"),
            _ => State + (FailedStep is null ? "" : $"({FailedStep}: {FailureReason})")
                 + (HasRow ? (HasMetadata ? "" : ", row without metadata") : ", no row"),
        };
    }

    private string Connection => new NpgsqlConnectionStringBuilder(servers.PostgresConnectionString)
    {
        // A pooled connection would be a dead one after a PostgreSQL restart.
        Pooling = false,
        Timeout = 5,
        CommandTimeout = 10,
    }.ToString();

    public async Task<IReadOnlyList<AvidState>> ReadAsync(IReadOnlyCollection<string> avids)
    {
        await using var conn = new NpgsqlConnection(Connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT a.avid, l.current_state, l.failed_step, l.failure_reason, r.id IS NOT NULL,
                   COALESCE(r.original_title <> '' AND r.release_date <> '' AND r.metadata IS NOT NULL AND r.m3u8 IS NOT NULL
                            AND EXISTS (SELECT 1 FROM resource_actors x WHERE x.resource_id = r.id)
                            AND EXISTS (SELECT 1 FROM resource_genres g WHERE g.resource_id = r.id), false),
                   COALESCE(r.file_exists, false),
                   (SELECT count(*) FROM resources d WHERE d.avid = a.avid)::int,
                   (SELECT count(*) FROM resource_lifecycles d WHERE d.avid = a.avid)::int
            FROM unnest(@avids) AS a(avid)
            LEFT JOIN resource_lifecycles l ON l.avid = a.avid
            LEFT JOIN resources r ON r.avid = a.avid
            ORDER BY a.avid
            """, conn);
        cmd.Parameters.AddWithValue("avids", avids.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync();
        var states = new List<AvidState>();
        while (await reader.ReadAsync())
            states.Add(new AvidState(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetInt32(7), reader.GetInt32(8)));
        return states;
    }

    /// <summary>The states, or null while the database cannot be read.</summary>
    public async Task<IReadOnlyList<AvidState>?> TryReadAsync(IReadOnlyCollection<string> avids)
    {
        try
        {
            return await ReadAsync(avids);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>"Ready: 97; ResolvingSource: 2 (DEMO-012, DEMO-013); …", the AVIDs listed for every group but the ready one.</summary>
    public static string Summarize(IEnumerable<AvidState> states) => string.Join("; ", states
        .GroupBy(s => s.ReadyWithMetadata ? "Ready with metadata" : s.Describe())
        .OrderByDescending(g => g.Count())
        .Select(g => g.Key == "Ready with metadata" ? $"{g.Key}: {g.Count()}" : $"{g.Key}: {g.Count()} ({string.Join(", ", g.Select(s => s.Avid))})"));

    /// <summary>The downloader instance the AVID's lifecycle says runs its download, once one has started it.</summary>
    public async Task<string?> DownloadInstanceAsync(string avid)
    {
        await using var conn = new NpgsqlConnection(Connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT download_instance FROM resource_lifecycles WHERE avid = @a AND current_state = 'Downloading'", conn);
        cmd.Parameters.AddWithValue("a", avid);
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>Names that occur more than once among the library's actors and genres (each is meant to exist once).</summary>
    public async Task<IReadOnlyList<string>> DuplicateNamesAsync()
    {
        await using var conn = new NpgsqlConnection(Connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT 'actor ' || name FROM actors GROUP BY name HAVING count(*) > 1
            UNION ALL SELECT 'genre ' || name FROM genres GROUP BY name HAVING count(*) > 1
            UNION ALL SELECT 'actor link ' || resource_id || '/' || actor_id FROM resource_actors GROUP BY resource_id, actor_id HAVING count(*) > 1
            UNION ALL SELECT 'genre link ' || resource_id || '/' || genre_id FROM resource_genres GROUP BY resource_id, genre_id HAVING count(*) > 1
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>"queue: N ready, M unacked" for every queue of the broker holding a message, error and skipped queues included.</summary>
    public async Task<string> QueuesWithMessagesAsync()
    {
        try
        {
            using var api = RabbitVhost.Client(new Uri(servers.RabbitMqManagement));
            using var doc = JsonDocument.Parse(await api.GetStringAsync("api/queues?columns=name,messages_ready,messages_unacknowledged"));
            var busy = doc.RootElement.EnumerateArray()
                .Select(q => (Name: q.GetProperty("name").GetString(), Ready: Count(q, "messages_ready"), Unacked: Count(q, "messages_unacknowledged")))
                .Where(q => q.Ready + q.Unacked > 0)
                .Select(q => $"{q.Name}: {q.Ready} ready, {q.Unacked} unacked")
                .ToList();
            return busy.Count == 0 ? "no queue holds a message" : string.Join("; ", busy);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"queues unreadable: {ex.Message}";
        }
    }

    private static long Count(JsonElement queue, string name) =>
        queue.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}
