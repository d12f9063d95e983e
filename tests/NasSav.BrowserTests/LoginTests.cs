using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

using NasSav.BrowserTests.Support;

namespace NasSav.BrowserTests;

/// <summary>A NasSav that asks every client for a key: the browser signs in through the login page, then all works.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class LoginTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Key = "browser-test-key-0123456789";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _data = Directory.CreateTempSubdirectory("nassav-login-").FullName;
    private HostProcess _standalone = null!;

    public async Task InitializeAsync()
    {
        _standalone = HostProcess.Start("standalone-keyed", HostProcess.BuiltDll("tools/NasSav.Standalone"), HostProcess.FreePort(),
            new Dictionary<string, string?>
            {
                ["Data:Root"] = _data,
                ["Gateway:ApiKeys:0"] = Key,
                ["Gateway:AnonymousNetworks:0"] = "none", // loopback too: as a client on the LAN sees it
            });
        await _standalone.WaitReadyAsync(_http, HostProcess.ReadyTimeout);
    }

    public async Task DisposeAsync()
    {
        await _standalone.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Without_a_key_the_browser_gets_the_login_page_and_after_signing_in_the_ui_and_its_websocket_work()
    {
        await using var ui = await chromium.NewPageAsync(_standalone.BaseUri, timeout: DemoHost.Patience);
        var page = ui.Page;

        var first = await page.GotoAsync("/#/system");
        Assert.Equal(401, first!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to NasSav" })).ToBeVisibleAsync();

        await page.GetByLabel("API key").FillAsync("wrong-key-but-long-enough");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");

        await page.GetByLabel("API key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#feed-state.open")).ToBeVisibleAsync(); // the WebSocket carries the cookie too
        Assert.DoesNotContain("api_key", page.Url);
        await page.GotoAsync("/#/system");
        await Expect(ui.TestId("lock-state")).ToHaveAttributeAsync("data-state", "free");
        await Expect(ui.TestId("readiness")).ToContainTextAsync("Healthy");

        // The only failures were the two 401 login pages (the first visit and the refused key), and nothing else was logged.
        Assert.All(ui.FailedRequests, p => Assert.Matches($"^HTTP 401: GET {Regex.Escape(_standalone.BaseUri.ToString())}(\\?|#|$)", p));
        Assert.Equal(2, ui.FailedRequests.Count);
        Assert.All(ui.Errors, e => Assert.Contains("401", e)); // Chromium's own "Failed to load resource" lines, if any

    }
}
