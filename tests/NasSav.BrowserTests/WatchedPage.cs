using Microsoft.Playwright;

namespace NasSav.BrowserTests;

/// <summary>
/// A page whose console errors, uncaught exceptions and failed same-origin requests (no answer, or an HTTP error)
/// are recorded; <see cref="AssertClean"/> fails the test on any of them. A request the browser itself abandons
/// (<c>net::ERR_ABORTED</c>: a media element switching to a range request, a navigation leaving a page) is not a
/// failure of NasSav and is not counted.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly List<string> _problems = [];
    private readonly Uri _origin;

    public WatchedPage(IBrowserContext context, IPage page, Uri origin)
    {
        Context = context;
        Page = page;
        _origin = origin;
        page.Console += (_, message) =>
        {
            // A 4xx/5xx also logs "Failed to load resource": it is recorded (with its URL) by Response below.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                Record($"console error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.RequestFailed += (_, request) =>
        {
            if (SameOrigin(request.Url) && request.Failure != "net::ERR_ABORTED")
                Record($"request failed: {request.Method} {request.Url}: {request.Failure}");
        };
        page.Response += (_, response) =>
        {
            if (SameOrigin(response.Url) && response.Status >= 400)
                Record($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
        };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    private bool SameOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Authority == _origin.Authority && uri.Scheme is "http" or "https";

    private void Record(string problem)
    {
        lock (_problems) _problems.Add(problem);
    }

    public IReadOnlyList<string> Problems
    {
        get { lock (_problems) return _problems.ToList(); }
    }

    public void AssertClean()
    {
        var problems = Problems;
        Assert.True(problems.Count == 0, "the page reported problems:\n" + string.Join("\n", problems));
    }

    public ILocator TestId(string id) => Page.GetByTestId(id);

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
