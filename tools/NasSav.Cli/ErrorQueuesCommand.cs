using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace NasSav.Cli;

/// <summary>
/// <c>nassav error-queues</c>: the broker's <c>_error</c> queues through <c>/nassav/api/maintenance/error-queues</c>
/// (docs/operations.md, "Error queues"). Subcommands: <c>list</c> (the default), <c>show QUEUE [--limit N]</c>,
/// <c>replay QUEUE (--id ID ... | --all)</c>. Exit codes: 0 done, 1 some asked-for messages were not in the queue,
/// 2 the API refused or could not be reached (501 on the in-memory bus, which keeps no error queues).
/// Self-contained: it only needs the --url and --api-key options of the command line it is added to.
/// </summary>
public sealed class ErrorQueuesCommand(Func<Uri, HttpClient> clients, TextWriter output, TextWriter error)
{
    public const int Ok = 0, NotFound = 1, ApiError = 2;
    private const string Path = "nassav/api/maintenance/error-queues";

    private readonly Argument<string> _queue = new("queue") { Description = "The error queue, e.g. resource-lifecycle_error." };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many messages (server default 50)." };
    private readonly Option<string[]> _id = new("--id") { Description = "A message id to replay; repeatable.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _all = new("--all") { Description = "Replay every message of the queue." };

    public Command Build(Option<string> url, Option<string?> apiKey)
    {
        var list = new Command("list", "The error queues and how many messages each holds.") { url, apiKey };
        list.SetAction((r, ct) => ListAsync(r, url, apiKey, ct));
        var show = new Command("show", "The messages of one error queue (read, not taken), with their fault.") { _queue, _limit, url, apiKey };
        show.SetAction((r, ct) => ShowAsync(r, url, apiKey, ct));
        var replay = new Command("replay", "Move messages back to the endpoint they faulted on, once the cause is fixed.") { _queue, _id, _all, url, apiKey };
        replay.SetAction((r, ct) => ReplayAsync(r, url, apiKey, ct));
        var command = new Command("error-queues", "List, show and replay the messages in the broker's _error queues.") { list, show, replay, url, apiKey };
        command.SetAction((r, ct) => ListAsync(r, url, apiKey, ct));
        return command;
    }

    private async Task<int> ListAsync(ParseResult r, Option<string> url, Option<string?> apiKey, CancellationToken ct)
    {
        var (code, data) = await CallAsync(r, url, apiKey, HttpMethod.Get, Path, null, ct);
        if (code != Ok) return code;
        var queues = data.GetProperty("queues").EnumerateArray().ToList();
        var width = queues.Count == 0 ? 0 : queues.Max(q => q.GetProperty("name").GetString()!.Length);
        foreach (var q in queues)
            await output.WriteLineAsync($"{q.GetProperty("name").GetString()!.PadRight(width)}  {q.GetProperty("messages").GetInt64()}");
        await output.WriteLineAsync($"{queues.Count} error queue(s), {data.GetProperty("total").GetInt64()} message(s)");
        return Ok;
    }

    private async Task<int> ShowAsync(ParseResult r, Option<string> url, Option<string?> apiKey, CancellationToken ct)
    {
        var queue = r.GetValue(_queue)!;
        var query = r.GetValue(_limit) is { } limit ? $"?limit={limit}" : "";
        var (code, data) = await CallAsync(r, url, apiKey, HttpMethod.Get, $"{Path}/{Uri.EscapeDataString(queue)}/messages{query}", null, ct);
        if (code != Ok) return code;
        var messages = data.GetProperty("messages").EnumerateArray().ToList();
        await output.WriteLineAsync($"{queue}: {data.GetProperty("total").GetInt64()} message(s), showing {messages.Count}");
        foreach (var m in messages)
        {
            var type = m.GetProperty("message_types").EnumerateArray().Select(t => t.GetString()).FirstOrDefault() ?? "?";
            var fault = m.GetProperty("fault");
            string F(string name) => fault.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
            await output.WriteLineAsync($"  {m.GetProperty("message_id").GetString()}  {type}");
            await output.WriteLineAsync($"    {F("ExceptionType")}: {F("Message")}");
        }
        return Ok;
    }

    private async Task<int> ReplayAsync(ParseResult r, Option<string> url, Option<string?> apiKey, CancellationToken ct)
    {
        var queue = r.GetValue(_queue)!;
        var ids = r.GetValue(_id) ?? [];
        var all = r.GetValue(_all);
        if (all == ids.Length > 0)
        {
            await error.WriteLineAsync("give either --id (repeatable) or --all");
            return ApiError;
        }
        object body = all ? new { all = true } : new { message_ids = ids };
        var (code, data) = await CallAsync(r, url, apiKey, HttpMethod.Post, $"{Path}/{Uri.EscapeDataString(queue)}/replay", body, ct);
        if (code != Ok) return code;
        var missing = data.GetProperty("not_found").EnumerateArray().Select(x => x.GetString()).ToList();
        await output.WriteLineAsync($"replayed {data.GetProperty("replayed").GetInt32()} message(s) from {queue}");
        if (missing.Count == 0) return Ok;
        await output.WriteLineAsync($"not in the queue: {string.Join(", ", missing)}");
        return NotFound;
    }

    private async Task<(int Code, JsonElement Data)> CallAsync(ParseResult r, Option<string> url, Option<string?> apiKey,
        HttpMethod method, string path, object? body, CancellationToken ct)
    {
        if (!Uri.TryCreate(r.GetValue(url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"--url must be an absolute http(s) URL: {r.GetValue(url)}");
            return (ApiError, default);
        }
        if (!baseUrl.AbsolutePath.EndsWith('/')) baseUrl = new Uri(baseUrl + "/");
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = JsonContent.Create(body);
            if (r.GetValue(apiKey) is { Length: > 0 } key) request.Headers.Add("X-Api-Key", key);
            using var response = await clients(baseUrl).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement envelope = default;
            try { envelope = JsonDocument.Parse(text).RootElement.Clone(); }
            catch (JsonException) { }
            if (response.IsSuccessStatusCode && envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("data", out var data))
                return (Ok, data);
            var message = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("message", out var m) ? m.GetString() : text;
            await error.WriteLineAsync($"HTTP {(int)response.StatusCode}: {message}");
            return (ApiError, default);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"cannot reach {baseUrl}: {ex.Message}");
            return (ApiError, default);
        }
    }
}
