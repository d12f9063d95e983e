using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NasSav.BrowserTests.Support;

namespace NasSav.BrowserTests;

/// <summary>
/// Issue 11, point 3, in Chromium: NASSAV's UI in dev mode is served by Vite (http://localhost:9780) and opens
/// ws://localhost:9790/nassav/ws/tasks/ directly, so the browser sends the dev server's origin. A stand-in dev server
/// (another loopback port) serves the page here, which opens the host's socket as the UI does.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class DevServerWebSocketTests(ChromiumFixture chromium)
{
    private const string Page = "<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"></head><body>dev</body></html>";

    [Fact]
    public async Task A_page_of_the_ui_dev_server_gets_the_live_task_feed()
    {
        await using var host = new StandaloneHost();
        await using var devServer = await StartDevServerAsync();
        var devPort = new Uri(devServer.Urls.Single()).Port;
        var socketUrl = new UriBuilder(host.BaseAddress) { Scheme = "ws", Host = "localhost", Path = "/nassav/ws/tasks/" }.Uri;

        await using var browser = await chromium.NewPageAsync(new Uri($"http://localhost:{devPort}/"));
        await browser.Page.GotoAsync("/");
        var first = await browser.Page.EvaluateAsync<string>("""
            url => new Promise(resolve => {
              const socket = new WebSocket(url);
              socket.onmessage = event => { resolve(JSON.parse(event.data).type); socket.close(); };
              socket.onclose = event => resolve('closed ' + event.code);
            })
            """, socketUrl.ToString());
        Assert.True(first == "queue_status", $"the socket answered '{first}'; page errors: {string.Join(" | ", browser.Errors)}");
        browser.AssertNoErrors();
    }

    /// <summary>Serves the page on 127.0.0.1 (a free port), as Vite serves the UI on localhost:9780.</summary>
    private static async Task<WebApplication> StartDevServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8"));
        await app.StartAsync();
        return app;
    }
}
