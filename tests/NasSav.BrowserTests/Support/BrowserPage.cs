using Microsoft.Playwright;

namespace NasSav.BrowserTests.Support;

/// <summary>
/// A page in its own browser context that records every console error and uncaught page error (an unhandled
/// promise rejection included), and every same-origin request that failed (no answer, or an HTTP error).
/// Tests end with <see cref="AssertNoErrors"/> (a page that logged an error failed) or, stricter,
/// <see cref="AssertClean"/> (no failed request either). A request the browser itself abandons
/// (<c>net::ERR_ABORTED</c>: a media element switching to a range request, a navigation leaving a page) is not
/// a failure of NasSav and is not recorded.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _origin;
    private readonly List<string> _errors = [];
    private readonly List<string> _failedRequests = [];

    public BrowserPage(IBrowserContext context, IPage page, Uri origin)
    {
        _context = context;
        _origin = origin;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Record(_errors, $"console.error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Record(_errors, $"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            if (SameOrigin(request.Url) && request.Failure != "net::ERR_ABORTED")
                Record(_failedRequests, $"request failed: {request.Method} {request.Url}: {request.Failure}");
        };
        page.Response += (_, response) =>
        {
            if (SameOrigin(response.Url) && response.Status >= 400)
                Record(_failedRequests, $"HTTP {response.Status}: {response.Request.Method} {response.Url}");
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    public IReadOnlyList<string> FailedRequests
    {
        get { lock (_failedRequests) return [.. _failedRequests]; }
    }

    public ILocator TestId(string id) => Page.GetByTestId(id);

    public void AssertNoErrors() =>
        Assert.True(Errors.Count == 0, "the page logged errors:\n" + string.Join('\n', Errors));

    /// <summary>No console error, no uncaught error, no failed same-origin request.</summary>
    public void AssertClean()
    {
        var problems = Errors.Concat(FailedRequests).ToList();
        Assert.True(problems.Count == 0, "the page reported problems:\n" + string.Join('\n', problems));
    }

    private bool SameOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Authority == _origin.Authority && uri.Scheme is "http" or "https";

    private static void Record(List<string> list, string entry)
    {
        lock (list) list.Add(entry);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
