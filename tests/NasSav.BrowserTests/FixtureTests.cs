using NasSav.BrowserTests.Support;

namespace NasSav.BrowserTests;

/// <summary>The fixture itself: what a browser test relies on to fail when a page goes wrong.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class FixtureTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task Console_errors_and_unhandled_rejections_are_recorded()
    {
        await using var browser = await chromium.NewPageAsync(new Uri("http://127.0.0.1/"));
        await browser.Page.SetContentAsync("<!doctype html><p>ok</p>");
        browser.AssertNoErrors();

        await browser.Page.EvaluateAsync("() => { console.error('broken'); Promise.reject(new Error('nobody catches this')); }");
        await NasSav.Testing.Wait.UntilAsync(() => browser.Errors.Count >= 2, TimeSpan.FromSeconds(10), "both errors to be recorded");
        Assert.Contains(browser.Errors, e => e.Contains("broken"));
        Assert.Contains(browser.Errors, e => e.Contains("nobody catches this"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(browser.AssertNoErrors);
    }
}
