using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace NasSav.Cli;

/// <summary>
/// The <c>nassav</c> command line. <c>retranslate</c> posts to <c>/nassav/api/translations/retranslate</c>, then
/// polls <c>/nassav/api/translations/status?avid=…</c> for the queued titles until none is "translating" any more
/// (or <c>--timeout</c> passes). Exit codes: 0 done, 1 some translations failed, 2 the API refused or could not
/// be reached, 3 timed out waiting.
/// </summary>
public sealed class NassavCli(Func<Uri, HttpClient> clients, TextWriter output, TextWriter error)
{
    public const int Ok = 0, SomeFailed = 1, ApiError = 2, TimedOut = 3;
    public const string DefaultUrl = "http://127.0.0.1:9790";
    private const string ApiPrefix = "nassav/api/";
    private const int StatusChunk = 200;

    private readonly Option<string[]> _status = new("--status")
    {
        Description = "translation_status to select (pending, translating, completed, failed, skipped); repeatable. Default: failed and pending (all statuses with --avid).",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<string[]> _avid = new("--avid") { Description = "An AVID to retranslate; repeatable.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Only list what would be retranslated." };
    private readonly Option<bool> _force = new("--force") { Description = "Bypass the translator's cache (same text, engine, model and prompt)." };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many titles (server default 1000)." };
    private readonly Option<string> _url = new("--url")
    {
        Description = "The gateway or catalog base URL (env NASSAV_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NASSAV_URL") is { Length: > 0 } u ? u : DefaultUrl,
    };
    private readonly Option<string?> _apiKey = new("--api-key")
    {
        Description = "Sent as X-Api-Key (env NASSAV_API_KEY).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NASSAV_API_KEY"),
    };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds to wait for the queued titles to settle.", DefaultValueFactory = _ => 600 };
    private readonly Option<double> _interval = new("--interval") { Description = "Seconds between progress polls.", DefaultValueFactory = _ => 2 };
    private readonly Option<bool> _noWait = new("--no-wait") { Description = "Queue and exit without following the progress." };

    public RootCommand Build()
    {
        var retranslate = new Command("retranslate", "Retranslate titles selected by translation_status and/or AVID, then follow the progress.")
        {
            _status, _avid, _dryRun, _force, _limit, _url, _apiKey, _timeout, _interval, _noWait,
        };
        retranslate.SetAction((result, ct) => RetranslateAsync(result, ct));
        return new RootCommand("NasSav command line") { retranslate, new ErrorQueuesCommand(clients, output, error).Build(_url, _apiKey) };
    }

    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await error.WriteLineAsync(e.Message);
            return ApiError;
        }
        return await parsed.InvokeAsync(cancellationToken: ct);
    }

    private async Task<int> RetranslateAsync(ParseResult r, CancellationToken ct)
    {
        if (!Uri.TryCreate(r.GetValue(_url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"--url must be an absolute http(s) URL: {r.GetValue(_url)}");
            return ApiError;
        }
        if (!baseUrl.AbsolutePath.EndsWith('/')) baseUrl = new Uri(baseUrl + "/");
        var http = clients(baseUrl);
        var apiKey = r.GetValue(_apiKey);

        var body = new Dictionary<string, object?>();
        if (r.GetValue(_status) is { Length: > 0 } statuses) body["status"] = statuses;
        if (r.GetValue(_avid) is { Length: > 0 } avids) body["avids"] = avids;
        if (r.GetValue(_dryRun)) body["dry_run"] = true;
        if (r.GetValue(_force)) body["force"] = true;
        if (r.GetValue(_limit) is { } limit) body["limit"] = limit;

        JsonElement answer;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ApiPrefix + "translations/retranslate") { Content = JsonContent.Create(body) };
            if (!string.IsNullOrEmpty(apiKey)) request.Headers.Add("X-Api-Key", apiKey);
            using var response = await http.SendAsync(request, ct);
            var (ok, envelope) = await ReadAsync(response, ct);
            if (!ok) return ApiError;
            answer = envelope.GetProperty("data");
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"cannot reach {baseUrl}: {ex.Message}");
            return ApiError;
        }

        var items = answer.GetProperty("items").EnumerateArray().ToList();
        var dry = answer.TryGetProperty("dry_run", out var d) && d.GetBoolean();
        await output.WriteLineAsync(dry
            ? $"dry run: {answer.GetProperty("selected").GetInt32()} selected"
            : $"selected {answer.GetProperty("selected").GetInt32()}, queued {answer.GetProperty("queued").GetInt32()}, skipped {answer.GetProperty("skipped").GetInt32()}");
        foreach (var item in items)
        {
            var was = item.TryGetProperty("translation_status", out var ts) && ts.ValueKind == JsonValueKind.String ? $" (was {ts.GetString()})" : "";
            var message = item.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? $": {m.GetString()}" : "";
            await output.WriteLineAsync($"  {item.GetProperty("avid").GetString()}  {item.GetProperty("status").GetString()}{was}{message}");
        }
        if (dry || r.GetValue(_noWait)) return Ok;

        var queued = items.Where(i => i.GetProperty("status").GetString() is "queued" or "submitted")
            .Select(i => i.GetProperty("avid").GetString()!).ToList();
        if (queued.Count == 0) return Ok;
        return await FollowAsync(http, apiKey, queued, TimeSpan.FromSeconds(r.GetValue(_timeout)), TimeSpan.FromSeconds(r.GetValue(_interval)), ct);
    }

    /// <summary>Polls the counts of the queued AVIDs until none is translating (or pending: not yet picked up).</summary>
    private async Task<int> FollowAsync(HttpClient http, string? apiKey, List<string> avids, TimeSpan timeout, TimeSpan interval, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? last = null;
        while (true)
        {
            var counts = new Dictionary<string, int>();
            foreach (var chunk in avids.Chunk(StatusChunk))
            {
                var query = string.Join("&", chunk.Select(a => "avid=" + Uri.EscapeDataString(a)));
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{ApiPrefix}translations/status?{query}");
                if (!string.IsNullOrEmpty(apiKey)) request.Headers.Add("X-Api-Key", apiKey);
                using var response = await http.SendAsync(request, ct);
                var (ok, envelope) = await ReadAsync(response, ct);
                if (!ok) return ApiError;
                foreach (var p in envelope.GetProperty("data").EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Number) counts[p.Name] = counts.GetValueOrDefault(p.Name) + p.Value.GetInt32();
            }
            int C(string s) => counts.GetValueOrDefault(s);
            var busy = C("translating") + C("pending");
            var line = $"progress: {avids.Count - busy}/{avids.Count} settled (completed {C("completed")}, failed {C("failed")}, skipped {C("skipped")}, translating {C("translating")}, pending {C("pending")})";
            if (line != last) await output.WriteLineAsync(line);
            last = line;
            if (busy == 0)
            {
                if (C("failed") > 0)
                {
                    await output.WriteLineAsync($"{C("failed")} failed; see translation_error in /resource/metadata, then: nassav retranslate --status failed");
                    return SomeFailed;
                }
                await output.WriteLineAsync("done");
                return Ok;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                await error.WriteLineAsync($"timed out after {timeout.TotalSeconds:0.#} s with {busy} still translating");
                return TimedOut;
            }
            await Task.Delay(interval, ct);
        }
    }

    private async Task<(bool Ok, JsonElement Envelope)> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonElement envelope = default;
        try { envelope = JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { }
        if (response.IsSuccessStatusCode && envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("data", out _)) return (true, envelope);
        var message = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("message", out var m) ? m.GetString() : text;
        await error.WriteLineAsync($"HTTP {(int)response.StatusCode}: {message}");
        return (false, envelope);
    }
}
