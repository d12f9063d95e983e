using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

using NasSav.BrowserTests.Support;

namespace NasSav.BrowserTests;

/// <summary>A newcomer's path in the browser: add titles, see their covers, open one, download it, play it.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class LibraryFlowTests(ChromiumFixture chromium, DemoHost host)
{
    /// <summary>Records every value the resource page's progress bar shows (a MutationObserver, so none is missed).</summary>
    private const string RecordProgress = """
        () => {
          window.__progress = [];
          const record = (el) => { if (el.dataset && el.dataset.testid === 'resource-progress') window.__progress.push(Number(el.getAttribute('aria-valuenow'))); };
          new MutationObserver((changes) => {
            for (const change of changes) {
              if (change.type === 'attributes') record(change.target);
              for (const node of change.addedNodes) {
                if (node.nodeType !== 1) continue;
                record(node);
                node.querySelectorAll('[data-testid=resource-progress]').forEach(record);
              }
            }
          }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
        }
        """;

    [Fact]
    public async Task Add_demo_avids_see_their_covers_open_one_download_it_watch_the_bar_and_play_it()
    {
        await using var ui = await host.OpenAsync(chromium, "/");
        var page = ui.Page;
        try
        {
            // Add: several AVIDs pasted at once, each outcome shown as it arrives.
            await page.GetByRole(AriaRole.Link, new() { Name = "Add" }).ClickAsync();
            await ui.TestId("add-input").FillAsync("demo-001, DEMO-002\nDEMO-004  DEMO-404 demo-002");
            await ui.TestId("add-submit").ClickAsync();
            foreach (var avid in new[] { "DEMO-001", "DEMO-002", "DEMO-004" })
                await Expect(page.Locator($"[data-testid=add-row][data-avid={avid}]")).ToHaveAttributeAsync("data-outcome", "created");
            var failed = page.Locator("[data-testid=add-row][data-avid=DEMO-404]");
            await Expect(failed).ToHaveAttributeAsync("data-outcome", "failed");
            await Expect(failed).ToContainTextAsync("DemoJable:404"); // which source failed, and why
            await Expect(page.GetByTestId("add-row")).ToHaveCountAsync(4); // the repeated DEMO-002 is asked once

            // Library: their covers (loaded images, not just <img> tags).
            await page.GetByRole(AriaRole.Link, new() { Name = "Library" }).ClickAsync();
            // (Other tests of the collection add titles too: look for these three.)
            await page.WaitForFunctionAsync("""
                () => { const imgs = ['DEMO-001', 'DEMO-002', 'DEMO-004'].map(a => document.querySelector(`[data-testid=resource-card][data-avid="${a}"] img`));
                        return imgs.every(i => i && i.complete && i.naturalWidth > 0); }
                """);

            // Search narrows the grid in place, the box keeps its focus, the address keeps the search.
            await ui.TestId("library-search").FillAsync("demo-004");
            await Expect(ui.TestId("resource-card")).ToHaveCountAsync(1);
            await Expect(ui.TestId("resource-card")).ToHaveAttributeAsync("data-avid", "DEMO-004");
            await Expect(ui.TestId("library-search")).ToBeFocusedAsync();
            Assert.Contains("search=demo-004", page.Url);
            await ui.TestId("library-search").FillAsync("");
            await Expect(page.Locator("[data-testid=resource-card][data-avid=DEMO-002]")).ToBeVisibleAsync();

            // Open one.
            await page.Locator("[data-testid=resource-card][data-avid=DEMO-002]").ClickAsync();
            await Expect(ui.TestId("resource-title")).ToContainTextAsync("DEMO-002");
            await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=resource-cover]'); return i && i.complete && i.naturalWidth > 0; }");
            await Expect(ui.TestId("resource-actors").Locator("li")).Not.ToHaveCountAsync(0);

            // Download it and watch the bar move to completion; the player then replaces the cover.
            await page.EvaluateAsync(RecordProgress);
            await ui.TestId("download").ClickAsync();
            await Expect(ui.TestId("resource-progress")).ToBeVisibleAsync();
            await Expect(ui.TestId("player")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            var values = await page.EvaluateAsync<double[]>("() => window.__progress");
            Assert.True(values.Any(v => v is > 0 and < 100), $"the bar never showed a value between 0 and 100: [{string.Join(", ", values)}]");
            Assert.True(values.Distinct().Count() >= 3, $"the bar did not move: [{string.Join(", ", values)}]");
            Assert.Contains(100, values);

            // Play it: the element has data for the current position and the time advances.
            await page.EvaluateAsync("() => { const v = document.querySelector('[data-testid=player]'); v.muted = true; return v.play(); }");
            await page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=player]'); return v.readyState >= 2 && v.currentTime > 0.5; }");
            Assert.True(await page.EvaluateAsync<bool>("() => !document.querySelector('[data-testid=player]').error"));

            // The library shows it downloaded.
            using var list = JsonDocument.Parse(await host.GetAsync("resources/?status=downloaded"));
            Assert.Contains("DEMO-002", list.RootElement.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("avid").GetString()));
            ui.AssertClean();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException || ui.Errors.Count + ui.FailedRequests.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\npage problems:\n{string.Join('\n', ui.Errors.Concat(ui.FailedRequests))}\n{host.Logs()}");
        }
    }
}
