using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

using NasSav.BrowserTests.Support;

namespace NasSav.BrowserTests;

/// <summary>
/// Every page, light and dark (English, desktop) and in Chinese on a phone, on a library with data in it: no console
/// error, no failed request, no sideways scrolling on a phone. Each view is photographed; with
/// <c>NASSAV_SCREENSHOTS=/path</c> the pictures go there (docs/screenshots is made this way, see docs/ui.md),
/// otherwise to a temporary folder.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class PageTourTests(ChromiumFixture chromium, DemoHost host) : IDisposable
{
    private static readonly string[] Titles = Enumerable.Range(10, 12).Select(n => $"DEMO-{n:000}").ToArray();

    private static readonly string? Requested = Environment.GetEnvironmentVariable("NASSAV_SCREENSHOTS") is { Length: > 0 } dir ? dir : null;

    private readonly string _shots = Requested is not null
        ? Directory.CreateDirectory(Requested).FullName
        : Directory.CreateTempSubdirectory("nassav-screens-").FullName;

    public void Dispose()
    {
        if (Requested is null) Directory.Delete(_shots, recursive: true);
    }

    private sealed record View(string Name, string Path, string Ready);

    [Fact]
    public async Task Every_page_renders_cleanly_in_both_themes_both_languages_and_on_a_phone()
    {
        if (Requested is not null) await DemoHost.EnsureFontsAsync();
        await SeedAsync();
        // Three downloads queue up behind each other: a few seconds each, so the queue is live while we look.
        foreach (var avid in new[] { "DEMO-012", "DEMO-013", "DEMO-014" })
            using (var submit = await host.Http.PostAsync(host.Demo.Api($"downloads/{avid}"), null)) submit.EnsureSuccessStatusCode();

        View[] live =
        [
            new("downloads", "/#/downloads", "[data-testid=active-task] [data-testid=task-percent]"),
            new("system", "/#/system", "[data-testid=lock-state][data-state=held]"),
        ];
        foreach (var view in live)
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
                await ShootAsync(view, scheme, "en-US");
        await ShootAsync(live[0], ColorScheme.Light, "zh-CN", phone: true);

        await WaitDownloadedAsync("DEMO-014");
        View[] views =
        [
            new("library", "/#/library", "[data-testid=resource-card] img"),
            new("actors", "/#/actors", "[data-testid=actors-list] li"),
            new("genres", "/#/genres", "[data-testid=genres-list] li"),
            new("resource", "/#/resource/DEMO-012", "[data-testid=player]"),
            new("add", "/#/add", "[data-testid=add-input]"),
            new("maintenance", "/#/maintenance", "[data-testid=run]"),
            new("settings", "/#/settings", "[data-testid=display-title]"),
        ];
        foreach (var view in views)
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
                await ShootAsync(view, scheme, "en-US");
        foreach (var view in views.Append(live[1] with { Ready = "[data-testid=lock-state]" }))
            await ShootAsync(view, ColorScheme.Light, "zh-CN", phone: true);
    }

    private async Task ShootAsync(View view, ColorScheme scheme, string locale, bool phone = false)
    {
        var width = phone ? 390 : 1280;
        await using var ui = await host.OpenAsync(chromium, view.Path, scheme, locale, width, phone ? 844 : 860);
        var page = ui.Page;
        await Expect(page.Locator(view.Ready).First).ToBeVisibleAsync();
        await Expect(page.Locator(".state.loading")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
        if (view.Name == "resource")
        {
            // A frame of the video itself rather than the poster under Chromium's loading spinner.
            await page.EvaluateAsync("""
                () => new Promise((resolve) => { const v = document.querySelector('[data-testid=player]');
                  v.addEventListener('seeked', resolve, { once: true }); v.preload = 'auto'; v.currentTime = 5; })
                """);
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=player]').readyState >= 2");
        }
        if (view.Name == "add") await FillAddAsync(ui);
        await page.EvaluateAsync("() => document.getElementById('toasts').replaceChildren()"); // a passing toast is not part of the page

        var language = locale.StartsWith("zh", StringComparison.Ordinal) ? "zh" : "en";
        Assert.Equal(language == "zh" ? "zh-CN" : "en-US", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        if (phone)
        {
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 1, $"{view.Name} on a phone scrolls sideways by {overflow} px");
        }
        var name = $"{view.Name}-{(scheme == ColorScheme.Dark ? "dark" : "light")}{(language == "zh" ? "-zh" : "")}{(phone ? "-phone" : "")}.png";
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_shots, name) });
        ui.AssertClean();
    }

    /// <summary>The add page with outcomes: one added, one already there, one that no source has.</summary>
    private static async Task FillAddAsync(BrowserPage ui)
    {
        await ui.TestId("add-input").FillAsync("DEMO-030 DEMO-010 DEMO-404");
        await ui.TestId("add-submit").ClickAsync();
        foreach (var avid in new[] { "DEMO-030", "DEMO-010", "DEMO-404" })
            await Expect(ui.Page.Locator($"[data-testid=add-row][data-avid={avid}]")).ToHaveAttributeAsync("data-outcome", new System.Text.RegularExpressions.Regex("created|exists|failed"));
        await ui.Page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
    }

    /// <summary>A library worth looking at: a dozen titles, favourites, something watched, a maintenance run.</summary>
    private async Task SeedAsync()
    {
        await host.AddAsync(Titles);
        foreach (var (avid, body) in new[] { ("DEMO-010", new { is_favorite = true }), ("DEMO-013", new { is_favorite = true }) })
            using (var r = await host.Http.PatchAsJsonAsync(host.Demo.Api($"resource/{avid}/status"), body)) r.EnsureSuccessStatusCode();
        using (var r = await host.Http.PatchAsJsonAsync(host.Demo.Api("resource/DEMO-011/status"), new { watched = true })) r.EnsureSuccessStatusCode();
        using (var r = await host.Http.PostAsync(host.Demo.Api("maintenance/jobs/check-resources/run?dry_run=true"), null)) r.EnsureSuccessStatusCode();
        await Wait.UntilAsync(async () =>
        {
            using var runs = JsonDocument.Parse(await host.GetAsync("maintenance/runs?job=check-resources"));
            return runs.RootElement.GetProperty("data").EnumerateArray().Any(r => r.GetProperty("status").GetString() != "running");
        }, DemoHost.Patience, "the check-resources run to end");
    }

    private async Task WaitDownloadedAsync(string avid) => await Wait.UntilAsync(async () =>
    {
        using var doc = JsonDocument.Parse(await host.GetAsync($"resource/metadata?avid={avid}"));
        return doc.RootElement.GetProperty("data").GetProperty("file_exists").GetBoolean();
    }, TimeSpan.FromSeconds(120), $"{avid} to be downloaded");
}
