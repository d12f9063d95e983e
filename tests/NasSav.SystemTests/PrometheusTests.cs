using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;

namespace NasSav.SystemTests;

/// <summary>
/// The standalone host against the demo site with <c>Telemetry:PrometheusPath</c> set: after real work (adds that
/// succeed and fail, a translation, a download, a maintenance run) the scraping endpoint shows the NasSav meter's
/// instruments with the outcomes that work produced.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class PrometheusTests : IAsyncLifetime
{
    private const string Avid = "DEMO-021"; // a plain media playlist
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private FakeLlmServer _llm = null!;
    private StandaloneDemo _demo = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeLlmServer.StartAsync();
        var settings = StandaloneDemo.TranslatingWith(_llm);
        settings["Telemetry:PrometheusPath"] = "/metrics";
        _demo = await StandaloneDemo.StartAsync(_http, "prometheus", null, settings);
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        await _llm.DisposeAsync();
        _http.Dispose();
    }

    private Uri Api(string path) => _demo.Api(path);

    [Fact]
    public Task Real_work_shows_on_the_scraping_endpoint_under_the_NasSav_meter() => SystemTestFailure.WithLogsAsync(async () =>
    {
        using (var add = await Post($"resource", $$"""{"avid":"{{Avid}}"}"""))
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        using (await Post("resource", """{"avid":"DEMO-404"}""")) { } // both sources answer 404: the add fails
        await Wait.UntilAsync(async () => await MetadataAsync("translation_status") == "completed", Patience, $"{Avid}'s title to be translated");

        using (var submit = await Post($"downloads/{Avid}", null))
            Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        await Wait.UntilAsync(async () =>
        {
            using var answer = await _http.GetAsync(Api($"downloads/abspath?avid={Avid}"));
            if (answer.StatusCode != HttpStatusCode.OK) return false;
            using var doc = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            return File.Exists(doc.RootElement.GetProperty("data").GetProperty("abspath").GetString());
        }, Patience, $"{Avid} to be downloaded");

        long runId;
        using (var run = await Post("maintenance/jobs/backup-avid-list/run", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
            using var doc = JsonDocument.Parse(await run.Content.ReadAsStringAsync());
            runId = doc.RootElement.GetProperty("data").GetProperty("id").GetInt64();
        }
        await Wait.UntilAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync(Api($"maintenance/runs/{runId}")));
            return doc.RootElement.GetProperty("data").GetProperty("status").GetString() != "running";
        }, Patience, "the maintenance run to end");

        // The lease is released (and its hold recorded) just after the file is in place: wait for that sample too.
        var text = "";
        await Wait.UntilAsync(async () =>
        {
            text = await _http.GetStringAsync(new Uri(_demo.Standalone.BaseUri, "metrics"));
            return Sample(text, "nassav_lease_hold_duration_seconds_count", ("lease", "download"), ("end", "released")) > 0;
        }, TimeSpan.FromSeconds(30), "the download lease's hold time on /metrics");

        AssertPositive(text, "nassav_lifecycle_step_duration_seconds_count", ("step", "source"), ("outcome", "ok"));
        AssertPositive(text, "nassav_lifecycle_step_duration_seconds_count", ("step", "source"), ("outcome", "failed"));
        AssertPositive(text, "nassav_lifecycle_step_duration_seconds_count", ("step", "metadata"), ("outcome", "ok"));
        AssertPositive(text, "nassav_lifecycle_step_duration_seconds_count", ("step", "translation"), ("outcome", "ok"));
        AssertPositive(text, "nassav_lifecycle_duration_seconds_count", ("kind", "add"), ("outcome", "ready"));
        AssertPositive(text, "nassav_lifecycle_duration_seconds_count", ("kind", "add"), ("outcome", "failed"));
        AssertPositive(text, "nassav_source_attempts_total", ("source", "DemoJable"), ("outcome", "ok"));
        AssertPositive(text, "nassav_source_attempts_total", ("source", "DemoJable"), ("outcome", "not_found"));
        AssertPositive(text, "nassav_source_attempt_duration_seconds_count", ("source", "DemoJable"));
        AssertPositive(text, "nassav_translations_total", ("engine", "fake"), ("outcome", "translated"));
        AssertPositive(text, "nassav_translation_duration_seconds_count", ("engine", "fake"));
        AssertPositive(text, "nassav_download_bytes_total");
        AssertPositive(text, "nassav_download_segments_total", ("how", "fetched"));
        AssertPositive(text, "nassav_download_duration_seconds_count", ("outcome", "completed"));
        AssertPositive(text, "nassav_lease_wait_duration_seconds_count", ("lease", "download"), ("outcome", "acquired"));
        AssertPositive(text, "nassav_maintenance_runs_total", ("job", "backup-avid-list"), ("trigger", "manual"), ("status", "succeeded"));
        AssertPositive(text, "nassav_maintenance_run_duration_seconds_count", ("job", "backup-avid-list"));
        // The ASP.NET Core instrumentation beside ours.
        AssertPositive(text, "http_server_request_duration_seconds_count");

        // The shipped Grafana dashboard reads only series this endpoint serves. A retry needs a failing segment:
        // the engine's tests (tests/NasSav.Downloader.Tests, FailureTests) check that counter instead.
        var dashboard = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "grafana", "nassav.json"));
        var served = Regex.Matches(text, @"^# TYPE (\S+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        var read = Regex.Matches(dashboard, @"\b(nassav_[a-z_]+?|http_server_[a-z_]+?)(_bucket|_count|_sum)?\b").Select(m => m.Groups[1].Value).ToHashSet();
        read.Remove("nassav_download_retries_total");
        Assert.NotEmpty(read);
        Assert.All(read, family => Assert.Contains(family, served));
    }, () => $"{_demo.Standalone.Tail(80)}\n{_demo.Site.Tail(20)}");

    private Task<HttpResponseMessage> Post(string path, string? json) =>
        _http.PostAsync(Api(path), json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<string?> MetadataAsync(string field)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(Api($"resource/metadata?avid={Avid}")));
        return doc.RootElement.GetProperty("data").TryGetProperty(field, out var value) ? value.ToString() : null;
    }

    private static void AssertPositive(string text, string name, params (string Key, string Value)[] labels)
    {
        var value = Sample(text, name, labels);
        Assert.True(value > 0, $"no sample {name}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} above 0 in:\n" +
            string.Join('\n', text.Split('\n').Where(l => l.StartsWith("nassav_", StringComparison.Ordinal))));
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/> (text format 0.0.4).</summary>
    private static double Sample(string text, string name, params (string Key, string Value)[] labels)
    {
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            var m = Regex.Match(line, @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)");
            if (!m.Success || m.Groups["name"].Value != name) continue;
            var have = m.Groups["labels"].Value;
            if (!labels.All(l => have.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal))) continue;
            sum += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
