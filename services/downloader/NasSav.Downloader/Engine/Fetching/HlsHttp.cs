using System.Net;
using System.Net.Http.Headers;
using NasSav.Downloader.Engine.Playlists;

namespace NasSav.Downloader.Engine.Fetching;

/// <summary>HTTP for one download: the request's headers on every playlist, key and segment request.</summary>
public sealed class HlsHttp(HttpClient client, IReadOnlyDictionary<string, string> headers, HlsEngineOptions options, Retry retry)
{
    public const string ClientName = "hls";

    public HttpRequestMessage Request(HttpMethod method, Uri uri, ByteRange? range = null)
    {
        var request = new HttpRequestMessage(method, uri) { Version = HttpVersion.Version11 };
        foreach (var (name, value) in headers)
        {
            // Content headers cannot go on a bodiless request; anything else (Cookie, Referer, User-Agent...) can.
            if (!request.Headers.TryAddWithoutValidation(name, value))
                throw new HlsDownloadException($"header '{name}' cannot be sent on a request", kind: HlsFailure.BadRequest);
        }
        if (range is { } r) request.Headers.Range = new RangeHeaderValue(r.Offset, r.End - 1);
        return request;
    }

    /// <summary>Sends and checks the status; the response body is not read yet.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"HTTP {(int)status} {status}", null, status);
        }
        return response;
    }

    /// <summary>A small resource (playlist, key), whole, with retries and the request timeout.</summary>
    public Task<byte[]> GetBytesAsync(string what, Uri uri, CancellationToken ct) =>
        retry.RunAsync($"{what} ({uri})", async (_, token) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(options.RequestTimeoutMs);
            try
            {
                using var request = Request(HttpMethod.Get, uri);
                using var response = await SendAsync(request, timeout.Token).ConfigureAwait(false);
                return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within {options.RequestTimeoutMs} ms");
            }
        }, ct);

    /// <summary>The size of a resource from HEAD (Content-Length), or null when the server does not say.</summary>
    public async Task<long?> TryGetLengthAsync(Uri uri, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeoutMs);
        try
        {
            using var request = Request(HttpMethod.Head, uri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? response.Content.Headers.ContentLength : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
