using System.Diagnostics;
using System.Net;

namespace NasSav.DemoSite.Tests;

/// <summary>The failure switches answer as tools/NasSav.DemoSite/README.md documents.</summary>
[Collection(SiteCollection.Name)]
public sealed class FailureSwitchTests(DemoSiteFixture site)
{
    [Theory]
    [InlineData("DEMO-403", HttpStatusCode.Forbidden)]
    [InlineData("DEMO-404", HttpStatusCode.NotFound)]
    [InlineData("DEMO-500", HttpStatusCode.InternalServerError)]
    public async Task Every_source_fails_with_the_status(string avid, HttpStatusCode status)
    {
        var lower = avid.ToLowerInvariant();
        foreach (var path in new[] { $"/v/{lower}", $"/cn/{lower}", $"/cn/{lower}-chinese-subtitle" })
        {
            using var response = await site.Http.GetAsync(path);
            Assert.Equal(status, response.StatusCode);
            Assert.DoesNotContain("og:title", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("DEMO-FB-403", HttpStatusCode.Forbidden)]
    [InlineData("DEMO-FB-404", HttpStatusCode.NotFound)]
    [InlineData("DEMO-FB-500", HttpStatusCode.InternalServerError)]
    public async Task Fallback_switches_fail_only_the_first_source(string avid, HttpStatusCode status)
    {
        var lower = avid.ToLowerInvariant();
        Assert.Equal(status, (await site.Http.GetAsync($"/v/{lower}")).StatusCode);
        var second = await site.Http.GetStringAsync($"/cn/{lower}");
        Assert.Contains($"content=\"{avid} ", second);
        Assert.Contains("|com|surrit|", second);
    }

    [Fact]
    public async Task Junk_is_a_200_page_without_title_cover_or_stream()
    {
        foreach (var path in new[] { "/v/demo-junk", "/cn/demo-junk", "/v/demo-fb-junk", "/v/demo-001?fail=junk" })
        {
            using var response = await site.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("hlsUrl =", html);
            Assert.DoesNotContain("surrit", html);
            Assert.DoesNotContain("DEMO-", html);
        }
        Assert.Contains("surrit", await site.Http.GetStringAsync("/cn/demo-fb-junk"));
    }

    [Fact]
    public async Task Slow_answers_after_the_configured_delay_and_a_shorter_client_timeout_fails()
    {
        var sw = Stopwatch.StartNew();
        var html = await site.Http.GetStringAsync("/v/demo-slow");
        // Timers fire up to a tick early against a Stopwatch: allow 25 ms.
        Assert.True(sw.ElapsedMilliseconds >= DemoSiteFixture.SlowMs - 25, $"answered after {sw.ElapsedMilliseconds} ms");
        Assert.Contains("var hlsUrl", html);   // a slow page is a good page, late

        using var impatient = new HttpClient { BaseAddress = new Uri(site.BaseUrl), Timeout = TimeSpan.FromMilliseconds(DemoSiteFixture.SlowMs / 4) };
        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetStringAsync("/cn/demo-slow"));
        Assert.Contains("surrit", await site.Http.GetStringAsync("/cn/demo-fb-slow"));   // FB-SLOW: only the first source is slow
    }

    [Theory]
    [InlineData("403", HttpStatusCode.Forbidden)]
    [InlineData("404", HttpStatusCode.NotFound)]
    [InlineData("500", HttpStatusCode.InternalServerError)]
    public async Task Query_flag_fails_any_page(string flag, HttpStatusCode status)
    {
        Assert.Equal(status, (await site.Http.GetAsync($"/v/demo-001?fail={flag}")).StatusCode);
        Assert.Equal(status, (await site.Http.GetAsync($"/cn/demo-001?fail={flag}")).StatusCode);
        Assert.Equal(status, (await site.Http.GetAsync($"/bus/DEMO-001?fail={flag}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await site.Http.GetAsync("/v/demo-001")).StatusCode);
    }

    [Fact]
    public async Task Delay_flag_delays_a_good_page()
    {
        var sw = Stopwatch.StartNew();
        Assert.Contains("var hlsUrl", await site.Http.GetStringAsync("/v/demo-001?delay=250"));
        Assert.True(sw.ElapsedMilliseconds >= 225, $"answered after {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Metadata_switches()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await site.Http.GetAsync("/bus/DEMO-NOMETA")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.Http.GetAsync("/bus/DEMO-404")).StatusCode);
        Assert.Contains("var hlsUrl", await site.Http.GetStringAsync("/v/demo-nometa"));
        // The all-sources-fail switches (but 404) keep a metadata page: only the sources fail.
        Assert.Equal(HttpStatusCode.OK, (await site.Http.GetAsync("/bus/DEMO-403")).StatusCode);
    }
}
