using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NasSav.Testing;

/// <summary>
/// A vhost of its own on the test broker for one distributed set (or one test), so queues and exchanges of one
/// run never meet another's: created through the management HTTP API, deleted (with everything in
/// it) on dispose. Vhosts of earlier runs that were not deleted (a killed run) are removed once they
/// nobody uses them. Without a management API the broker's vhost is used as it is.
/// </summary>
public sealed class RabbitVhost : IAsyncDisposable
{
    private const string Prefix = "systest-";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(3);
    private static readonly TimeSpan UnusedAfter = TimeSpan.FromMinutes(5);
    private readonly HttpClient? _api;

    public string AmqpUri { get; }
    public string? Name { get; }

    private RabbitVhost(string amqpUri, string? name, HttpClient? api)
    {
        AmqpUri = amqpUri;
        Name = name;
        _api = api;
    }

    public static async Task<RabbitVhost> CreateAsync()
    {
        var amqp = await LocalServers.RabbitMqAsync();
        var management = await LocalServers.RabbitMqManagementAsync();
        if (management is null) return new RabbitVhost(amqp, null, null);

        var amqpUri = new Uri(amqp);
        var user = Uri.UnescapeDataString(amqpUri.UserInfo.Split(':')[0]);
        var api = Client(new Uri(management));
        await DeleteStaleAsync(api);

        var name = $"{Prefix}{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        var escaped = Uri.EscapeDataString(name);
        (await api.PutAsJsonAsync($"api/vhosts/{escaped}", new { description = "NasSav system test" })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"api/permissions/{escaped}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        var uri = new UriBuilder(amqpUri) { Path = "/" + escaped }.Uri.ToString();
        return new RabbitVhost(uri, name, api);
    }

    /// <summary>A client of the management API at <paramref name="management"/> (http://user:pass@host:port), credentials as basic auth.</summary>
    public static HttpClient Client(Uri management)
    {
        var client = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "", Path = "/" }.Uri, Timeout = TimeSpan.FromSeconds(30) };
        var parts = management.UserInfo.Split(':', 2);
        var credentials = $"{Uri.UnescapeDataString(parts[0])}:{(parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "")}";
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }

    /// <summary>
    /// Vhosts of earlier runs: deleted once nobody is connected to them for a few minutes (a run
    /// that was killed), or in any case after a few hours.
    /// </summary>
    private static async Task DeleteStaleAsync(HttpClient api)
    {
        using var connections = JsonDocument.Parse(await api.GetStringAsync("api/connections?columns=vhost"));
        var inUse = connections.RootElement.EnumerateArray()
            .Select(c => c.TryGetProperty("vhost", out var v) ? v.GetString() : null)
            .ToHashSet(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(await api.GetStringAsync("api/vhosts?columns=name"));
        foreach (var vhost in doc.RootElement.EnumerateArray())
        {
            var name = vhost.GetProperty("name").GetString() ?? "";
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name.Length < Prefix.Length + 14) continue;
            if (!DateTime.TryParseExact(name.AsSpan(Prefix.Length, 14), "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created)) continue;
            var age = DateTime.UtcNow - created;
            if (age > StaleAfter || (age > UnusedAfter && !inUse.Contains(name))) await api.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}");
        }
    }

    /// <summary>One queue as the management API describes it (arguments, consumers, ...); null without a management API.</summary>
    public async Task<JsonDocument?> QueueAsync(string queue)
    {
        if (_api is null || Name is null) return null;
        return JsonDocument.Parse(await _api.GetStringAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is null || Name is null) return;
        try
        {
            await _api.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) { }
        _api.Dispose();
    }
}
