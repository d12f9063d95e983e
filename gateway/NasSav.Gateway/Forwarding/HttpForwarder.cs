using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// Sends one client request to a route's destinations and streams the answer back: bodies are never
/// buffered, hop-by-hop headers are dropped, X-Forwarded-* are appended, path and query stay exact.
/// </summary>
public sealed class HttpForwarder(ForwarderClient client, IOptions<GatewayOptions> options, ILogger<HttpForwarder> log)
{
    public const string TimeoutMessage = "上游服务超时";
    public const string UnavailableMessage = "上游服务不可用";
    private const int BufferSize = 64 * 1024;

    private readonly TimeSpan _cooldown = TimeSpan.FromSeconds(options.Value.HealthCheck.PassiveCooldown);

    public async Task ForwardAsync(HttpContext context, GatewayRoute route)
    {
        var aborted = context.RequestAborted;
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
                      ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);
        var body = hasBody ? new TrackingRequestStream(context.Request.Body) : null;

        foreach (var destination in route.Candidates())
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            timeout.CancelAfter(route.Timeout);
            using var request = BuildRequest(context, destination, body);
            HttpResponseMessage response;
            try
            {
                response = await client.Invoker.SendAsync(request, timeout.Token);
            }
            catch (Exception) when (aborted.IsCancellationRequested)
            {
                return; // the client left; the upstream call is cancelled with it
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                log.LogWarning("Upstream {Destination} did not answer {Method} {Path} within {Timeout} s",
                    destination, context.Request.Method, context.Request.Path, route.Timeout.TotalSeconds);
                await WriteErrorAsync(context, 504, TimeoutMessage);
                return;
            }
            catch (Exception ex) when (IsConnectFailure(ex))
            {
                destination.MarkConnectFailure(_cooldown);
                log.LogWarning("Upstream {Destination} refused the connection ({Error}); skipped for {Cooldown} s",
                    destination, ex.Message, _cooldown.TotalSeconds);
                if (body is { Started: true }) break; // part of the body is gone: it cannot be replayed
                continue;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                log.LogWarning(ex, "Upstream {Destination} failed on {Method} {Path}", destination, context.Request.Method, context.Request.Path);
                await WriteErrorAsync(context, 502, UnavailableMessage);
                return;
            }

            using (response)
            {
                await CopyResponseAsync(context, response, route.Timeout, destination);
            }
            return;
        }

        await WriteErrorAsync(context, 502, UnavailableMessage);
    }

    private static bool IsConnectFailure(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        HttpRequestException { InnerException: SocketException } => true,
        // SocketsHttpHandler.ConnectTimeout surfaces as a cancellation wrapping a TimeoutException.
        OperationCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    private static HttpRequestMessage BuildRequest(HttpContext context, Destination destination, Stream? body)
    {
        var incoming = context.Request;
        // The raw request target keeps the path and query byte for byte (Path would have %2F and friends re-encoded).
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = raw is { Length: > 0 } && raw[0] == '/'
            ? destination.BuildUri(raw)
            : destination.BuildUri(incoming.PathBase.Add(incoming.Path).ToUriComponent() + incoming.QueryString.ToUriComponent());
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (body is not null) request.Content = new StreamContent(body, BufferSize);

        var skip = HopByHopHeaders.For(incoming.Headers.Connection);
        foreach (var (name, values) in incoming.Headers)
        {
            if (name.StartsWith(':') || skip(name)) continue;
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Expect", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase))
                continue;
            var array = values.ToArray()!;
            if (!request.Headers.TryAddWithoutValidation(name, array))
                request.Content?.Headers.TryAddWithoutValidation(name, array);
        }

        var remote = context.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
        Append(request, incoming, "X-Forwarded-For", remote?.ToString());
        Append(request, incoming, "X-Forwarded-Proto", incoming.Scheme);
        Append(request, incoming, "X-Forwarded-Host", incoming.Host.HasValue ? incoming.Host.Value : null);
        return request;
    }

    private static void Append(HttpRequestMessage request, HttpRequest incoming, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var existing = string.Join(", ", incoming.Headers[name].Where(v => !string.IsNullOrWhiteSpace(v)));
        request.Headers.TryAddWithoutValidation(name, existing.Length == 0 ? value : $"{existing}, {value}");
    }

    private async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response, TimeSpan idleTimeout, Destination destination)
    {
        var aborted = context.RequestAborted;
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;

        var skip = HopByHopHeaders.For(response.Headers.NonValidated.TryGetValues("Connection", out var connection) ? connection : null);
        foreach (var (name, values) in response.Headers.NonValidated)
            if (!skip(name)) outgoing.Headers[name] = values.ToArray();
        foreach (var (name, values) in response.Content.Headers.NonValidated)
            if (!skip(name)) outgoing.Headers[name] = values.ToArray();

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        Stream upstream;
        try
        {
            upstream = await response.Content.ReadAsStreamAsync(aborted);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        try
        {
            await using (upstream)
            {
                while (true)
                {
                    idle.CancelAfter(idleTimeout);
                    int read;
                    try
                    {
                        read = await upstream.ReadAsync(buffer.AsMemory(), idle.Token);
                    }
                    catch (Exception) when (aborted.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
                    {
                        var stalled = idle.IsCancellationRequested;
                        log.LogWarning("Upstream {Destination} {Problem} while streaming {Path}", destination,
                            stalled ? $"sent nothing for {idleTimeout.TotalSeconds} s" : $"broke off ({ex.Message})", context.Request.Path);
                        if (!outgoing.HasStarted)
                            await WriteErrorAsync(context, stalled ? 504 : 502, stalled ? TimeoutMessage : UnavailableMessage);
                        else
                            context.Abort(); // the client must not take a truncated body for a whole one
                        return;
                    }
                    if (read == 0) break;
                    try
                    {
                        await outgoing.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                    }
                    catch (Exception) when (aborted.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int code, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }
        context.Response.Clear();
        return ApiResults.WriteAsync(context, code, message);
    }
}
