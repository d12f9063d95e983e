using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace NasSav.SystemTests.Faults;

/// <summary>
/// A client adding AVIDs through <c>POST /resources/batch</c> (a few batches in flight at once), as the web UI's batch
/// add does, recording every answer. It behaves as a careful client: an AVID whose answer was a 5xx or no answer at
/// all (the request failed: nothing was promised) is sent again after a pause; an AVID answered 2xx or 409 (accepted,
/// or already being added) is never sent again: from then on the server owns it.
/// </summary>
public sealed class AddLoad
{
    /// <summary>
    /// One AVID's answer in one request: <see cref="Code"/> is the item's code in a 200 batch answer, the HTTP status
    /// when the whole request failed, 0 when no answer came (connection refused or reset, time-out).
    /// </summary>
    public sealed record Answer(string Avid, TimeSpan SentAt, TimeSpan AnsweredAt, int Code, string Message)
    {
        public bool IsServerError => Code is 0 or >= 500;

        public override string ToString() =>
            $"{Avid} {Code} \"{Message}\" (sent at {SentAt.TotalSeconds:0.0} s, answered at {AnsweredAt.TotalSeconds:0.0} s)";
    }

    private readonly HttpClient _http;
    private readonly Uri _batch;
    private readonly Stopwatch _clock;
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, Answer> _final = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly int _total;
    private readonly int _batchSize;

    private AddLoad(HttpClient http, Uri batch, Stopwatch clock, IReadOnlyCollection<string> avids, int batchSize)
    {
        _http = http;
        _batch = batch;
        _clock = clock;
        _total = avids.Count;
        _batchSize = batchSize;
        foreach (var avid in avids) _pending.Writer.TryWrite(avid);
    }

    /// <summary>Every answer, retries included, in arrival order.</summary>
    public IReadOnlyList<Answer> Answers => [.. _answers];

    /// <summary>The answer that settled each AVID (2xx, 409 or another 4xx).</summary>
    public IReadOnlyDictionary<string, Answer> Settled => _final;

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts <paramref name="concurrency"/> clients sending batches of <paramref name="batchSize"/> adds until every AVID is settled.</summary>
    public static AddLoad Start(HttpClient http, Uri batchEndpoint, Stopwatch clock, IReadOnlyCollection<string> avids,
        int batchSize, int concurrency, CancellationToken ct)
    {
        var load = new AddLoad(http, batchEndpoint, clock, avids, batchSize);
        load.Completion = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => load.ClientAsync(ct), ct)));
        return load;
    }

    private async Task ClientAsync(CancellationToken ct)
    {
        try
        {
            while (_final.Count < _total)
            {
                var avids = new List<string> { await _pending.Reader.ReadAsync(ct) };
                while (avids.Count < _batchSize && _pending.Reader.TryRead(out var more)) avids.Add(more);
                var retry = await SendAsync(avids, ct);
                if (retry.Count == 0) continue;
                // The server is failing: pause before those AVIDs are sent again (by whichever client is free then).
                _ = Task.Delay(TimeSpan.FromSeconds(2), ct).ContinueWith(_ =>
                {
                    foreach (var avid in retry) _pending.Writer.TryWrite(avid);
                }, ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        _pending.Writer.TryComplete();
    }

    /// <summary>One batch request; returns the AVIDs to send again.</summary>
    private async Task<List<string>> SendAsync(List<string> avids, CancellationToken ct)
    {
        var sentAt = _clock.Elapsed;
        var body = JsonSerializer.Serialize(new { actions = avids.Select(a => new { action = "add", avid = a }) });
        List<Answer> answers;
        try
        {
            using var response = await _http.PostAsync(_batch, new StringContent(body, Encoding.UTF8, "application/json"), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            answers = Read(avids, sentAt, (int)response.StatusCode, text);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            answers = [.. avids.Select(a => new Answer(a, sentAt, _clock.Elapsed, 0, $"{ex.GetType().Name}: {ex.Message}"))];
        }
        var retry = new List<string>();
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
            if (answer.IsServerError) retry.Add(answer.Avid);
            else _final[answer.Avid] = answer;
        }
        return retry;
    }

    private List<Answer> Read(List<string> avids, TimeSpan sentAt, int status, string text)
    {
        var answeredAt = _clock.Elapsed;
        if (status != 200)
            return [.. avids.Select(a => new Answer(a, sentAt, answeredAt, status, Shorten(text)))];
        try
        {
            using var doc = JsonDocument.Parse(text);
            var results = doc.RootElement.GetProperty("data").GetProperty("results").EnumerateArray().ToList();
            if (results.Count != avids.Count) throw new InvalidOperationException($"{results.Count} results for {avids.Count} actions");
            return [.. results.Select((r, i) => new Answer(avids[i], sentAt, answeredAt, r.GetProperty("code").GetInt32(),
                r.GetProperty("message").GetString() ?? ""))];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A 200 that is not the batch answer: a defect of its own, recorded as such (never retried as a 5xx).
            return [.. avids.Select(a => new Answer(a, sentAt, answeredAt, -1, $"unreadable answer ({ex.Message}): {Shorten(text)}"))];
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
