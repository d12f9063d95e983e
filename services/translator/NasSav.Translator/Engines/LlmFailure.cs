using System.ClientModel;
using System.Net;

namespace NasSav.Translator.Engines;

/// <summary>
/// A failed call in our terms, whichever library raised it: the HTTP status when the server answered (5xx, 429 and
/// 408 are transient and retried, any other status fails the translation at once), or a connection that failed
/// (transient, and the next translation probes availability again).
/// </summary>
public sealed record LlmFailure(string Problem, bool Transient, bool ConnectionFailed)
{
    public static LlmFailure? From(Exception ex) => ex switch
    {
        ClientResultException { Status: 0 } e => Connection(e.InnerException ?? e),
        ClientResultException e => Status(e.Status, e.Message),
        HttpRequestException { StatusCode: { } status } e => Status((int)status, e.Message),
        HttpRequestException e => Connection(e),
        _ => null,
    };

    private static LlmFailure Connection(Exception e) => new("connection failed: " + e.Message, true, true);

    private static LlmFailure Status(int status, string detail) =>
        new($"HTTP {status}: {Truncate(detail)}", status >= 500 || status == (int)HttpStatusCode.TooManyRequests || status == (int)HttpStatusCode.RequestTimeout, false);

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
