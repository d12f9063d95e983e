using Microsoft.Playwright;

namespace NasSav.BrowserTests.Support;

/// <summary>
/// One headless Chromium for a test collection: Debian's /usr/bin/chromium (deploy/local/ensure-tools.sh installs it;
/// NASSAV_CHROMIUM points elsewhere) driven by Playwright. Playwright's own browser download is never used.
/// Each test opens its own <see cref="BrowserPage"/> (a fresh context: no shared cache or cookies).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/chromium";

    /// <summary>
    /// Headless, no sandbox (root in CI), nothing fetched in the background (no network here); no scroll bars, so
    /// pictures of pages (docs/screenshots) look as on a phone or a Mac.
    /// </summary>
    public static readonly string[] Arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string Executable =>
        Environment.GetEnvironmentVariable("NASSAV_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutable;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run deploy/local/ensure-tools.sh (./test.sh does) or set NASSAV_CHROMIUM");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
    }

    /// <summary>
    /// A page in a fresh browser context whose relative URLs resolve against <paramref name="baseUrl"/>;
    /// <paramref name="options"/> for the rest (colour scheme, language, viewport).
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(Uri baseUrl, BrowserNewContextOptions? options = null, TimeSpan? timeout = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseUrl.ToString().TrimEnd('/');
        var context = await _browser!.NewContextAsync(options);
        context.SetDefaultTimeout((float)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds);
        return new BrowserPage(context, await context.NewPageAsync(), baseUrl);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>One browser, and the demo site with a standalone host for the tests of NasSav's own UI (started once).</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<DemoHost>
{
    public const string Name = "chromium";
}
