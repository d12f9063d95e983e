using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace NasSav.SystemTests;

/// <summary>
/// Adding AVIDs on the distributed set: gateway → two catalogs (saga on PostgreSQL) → RabbitMQ → two
/// scrapers → the demo site, and back.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class PipelineTests(PipelineSet set) : IClassFixture<PipelineSet>
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromMinutes(3);

    private Task<HttpResponseMessage> AddAsync(string avid) =>
        set.Http.PostAsync(new Uri(set.Gateway.BaseUri, "nassav/api/resource"),
            new StringContent($$"""{"avid":"{{avid}}"}""", Encoding.UTF8, "application/json"));

    [Fact]
    public Task Fifty_concurrent_adds_all_reach_ready_and_both_scrapers_share_the_work() => set.CheckAsync(async () =>
    {
        var avids = Enumerable.Range(1, 50).Select(i => $"DEMO-{i:000}").ToList();
        var responses = await Task.WhenAll(avids.Select(AddAsync));
        foreach (var (response, avid) in responses.Zip(avids))
        {
            var status = (int)response.StatusCode;
            Assert.True(status is 201 or 202, $"{avid}: HTTP {status} {await response.Content.ReadAsStringAsync()}");
        }

        await NasSav.Testing.Wait.UntilAsync(async () => await CountReadyAsync(avids) == avids.Count, ReadyWithin,
            "all 50 lifecycles to be Ready");

        foreach (var avid in avids.Take(5))
        {
            using var doc = JsonDocument.Parse(await set.Http.GetStringAsync(new Uri(set.Gateway.BaseUri, $"nassav/api/resource/metadata?avid={avid}")));
            var data = doc.RootElement.GetProperty("data");
            Assert.False(string.IsNullOrEmpty(data.GetProperty("original_title").GetString()));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data.GetProperty("release_date").GetString());
            Assert.EndsWith("分钟", data.GetProperty("duration").GetString());
            Assert.False(string.IsNullOrEmpty(data.GetProperty("studio").GetString()));
            Assert.NotEmpty(data.GetProperty("actors").EnumerateArray());
            Assert.NotEmpty(data.GetProperty("genres").EnumerateArray());
            using var cover = await set.Http.GetAsync(new Uri(set.Gateway.BaseUri, $"nassav/api/resource/cover?avid={avid}&size=small"));
            Assert.Equal(HttpStatusCode.OK, cover.StatusCode);
        }

        // Both scraper instances resolved sources: the work was shared, not done by one.
        foreach (var scraper in set.Scrapers)
        {
            using var doc = JsonDocument.Parse(await set.Http.GetStringAsync(new Uri(scraper.BaseUri, "scraper/health/sources")));
            var successes = doc.RootElement.EnumerateArray().Sum(e => e.GetProperty("successes").GetInt64());
            Assert.True(successes > 0, $"{scraper.Name} did no work: {doc.RootElement}");
        }
    });

    [Fact]
    public Task Concurrent_duplicate_adds_create_one_resource_and_the_others_get_409() => set.CheckAsync(async () =>
    {
        const string avid = "DEMO-055";
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => AddAsync(avid)));
        var codes = responses.Select(r => (int)r.StatusCode).OrderBy(c => c).ToList();
        Assert.Single(codes, c => c is 201 or 202);
        Assert.All(codes.Where(c => c is not (201 or 202)), c => Assert.Equal(409, c));

        await NasSav.Testing.Wait.UntilAsync(async () => await CountReadyAsync([avid]) == 1, ReadyWithin, $"{avid} to be Ready");
        var again = await AddAsync(avid);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM resources WHERE avid = @a", avid));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM resource_lifecycles WHERE avid = @a", avid));
    });

    [Fact]
    public Task A_refused_source_answers_403_and_leaves_no_row() => set.CheckAsync(async () =>
    {
        var response = await AddAsync("DEMO-403");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("DEMO-403", await response.Content.ReadAsStringAsync());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM resources WHERE avid = @a", "DEMO-403"));
    });

    private async Task<int> CountReadyAsync(IReadOnlyCollection<string> avids)
    {
        await using var conn = new NpgsqlConnection(set.DatabaseConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM resource_lifecycles WHERE current_state = 'Ready' AND avid = ANY(@a)", conn);
        cmd.Parameters.AddWithValue("a", avids.ToArray());
        return Convert.ToInt32(await cmd.ExecuteScalarAsync());
    }

    private async Task<long> ScalarAsync(string sql, string avid)
    {
        await using var conn = new NpgsqlConnection(set.DatabaseConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("a", avid);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
