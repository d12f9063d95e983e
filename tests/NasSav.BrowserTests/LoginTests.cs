using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NasSav.BrowserTests;

/// <summary>A NasSav that asks every client for a key: the browser signs in through the login page, then all works.</summary>
[Collection(UiCollection.Name)]
public sealed class LoginTests(UiHost host) : IAsyncLifetime
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
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _standalone.BaseUri.ToString().TrimEnd('/') });
        context.SetDefaultTimeout((float)UiHost.Patience.TotalMilliseconds);
        await using var ui = new WatchedPage(context, await context.NewPageAsync(), _standalone.BaseUri);
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

        // The only errors were the two 401 login pages (the first visit and the refused key).
        var unexpected = ui.Problems.Where(p => !p.StartsWith("HTTP 401: GET " + _standalone.BaseUri, StringComparison.Ordinal)
                                                || p.Contains("/nassav/", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.Equal(2, ui.Problems.Count);
    }
}
