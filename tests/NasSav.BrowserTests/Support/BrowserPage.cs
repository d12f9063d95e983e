using Microsoft.Playwright;

namespace NasSav.BrowserTests.Support;

/// <summary>
/// A page in its own browser context that records every console error and uncaught page error (an unhandled
/// promise rejection included). Tests end with <see cref="AssertNoErrors"/>: a page that logged an error failed.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Record($"console.error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Record($"page error: {error}");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    public void AssertNoErrors() =>
        Assert.True(Errors.Count == 0, "the page logged errors:\n" + string.Join('\n', Errors));

    private void Record(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
