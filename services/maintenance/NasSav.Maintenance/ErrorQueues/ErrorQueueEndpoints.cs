using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Maintenance.Scheduling;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Maintenance.ErrorQueues;

/// <summary>
/// /nassav/api/maintenance/error-queues: the broker's <c>_error</c> queues, their messages, and replaying them to their
/// endpoint (docs/operations.md, "Error queues"). On the in-memory bus every call answers 501 with the reason.
/// </summary>
public static partial class ErrorQueueEndpoints
{
    public const string HttpClientName = "rabbitmq-management";
    public const int MaxPeek = 500;

    public static IServiceCollection AddErrorQueues(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient(HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<IErrorQueues>(sp =>
        {
            var bus = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
            if (bus.Transport != BusTransport.RabbitMq || !Uri.TryCreate(bus.RabbitMqUri, UriKind.Absolute, out var amqp)) return new InMemoryErrorQueues();
            var management = Uri.TryCreate(bus.RabbitMqManagementUri, UriKind.Absolute, out var m)
                ? m
                // By default: the management plugin on the broker's host, with the AMQP credentials.
                : new UriBuilder("http", amqp.Host, 15672) { UserName = amqp.UserInfo.Split(':')[0], Password = amqp.UserInfo.Split(':', 2).ElementAtOrDefault(1) ?? "" }.Uri;
            return new RabbitMqErrorQueues(amqp, management, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapErrorQueueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup($"{MaintenanceEndpoints.Prefix}/error-queues").WithTags("Maintenance");
        group.MapGet("", List);
        group.MapGet("/{queue}/messages", Messages);
        group.MapPost("/{queue}/replay", Replay);
        return endpoints;
    }

    private static async Task<IResult> List(IErrorQueues queues, CancellationToken ct)
    {
        if (queues.Unsupported is { } why) return ApiResults.Error(501, why);
        var list = await Broker(() => queues.ListAsync(ct));
        return list.Result ?? ApiResults.Ok(new
        {
            transport = "RabbitMq",
            total = list.Value!.Sum(q => q.Messages),
            queues = list.Value!.Select(q => new { name = q.Name, endpoint = q.Endpoint, messages = q.Messages }),
        });
    }

    private static async Task<IResult> Messages(string queue, HttpRequest request, IErrorQueues queues, CancellationToken ct)
    {
        if (!ValidQueue().IsMatch(queue)) return ApiResults.Error(400, $"队列名无效: {queue} (应以 _error 结尾)");
        var limit = 50;
        if (request.Query.TryGetValue("limit", out var raw) && (!int.TryParse(raw, out limit) || limit is < 1 or > MaxPeek))
            return ApiResults.Error(400, $"limit 参数无效 (1-{MaxPeek})");
        if (queues.Unsupported is { } why) return ApiResults.Error(501, why);
        var peek = await Broker(() => queues.PeekAsync(queue, limit, ct));
        return peek.Result ?? ApiResults.Ok(new
        {
            queue,
            total = peek.Value.Total,
            messages = peek.Value.Messages.Select(m => new
            {
                message_id = m.MessageId,
                message_types = m.MessageTypes,
                fault = m.Fault,
                redelivered = m.Redelivered,
                message = m.Message,
            }),
        });
    }

    /// <summary>
    /// {"message_ids": [...]} or {"all": true}. The request is checked before the transport is: a malformed request
    /// is the client's error (400) whatever bus this host runs on.
    /// </summary>
    private static async Task<IResult> Replay(string queue, HttpRequest request, IErrorQueues queues, CancellationToken ct)
    {
        if (!ValidQueue().IsMatch(queue)) return ApiResults.Error(400, $"队列名无效: {queue} (应以 _error 结尾)");
        var read = await JsonBody.ReadObjectAsync(request, ct);
        if (!read.Ok) return read.Error!;
        var body = read.Value;
        HashSet<string>? ids = null;
        if (!(body.TryGetProperty("all", out var all) && all.ValueKind == JsonValueKind.True))
        {
            if (!body.TryGetProperty("message_ids", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0
                || list.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(x.GetString())))
                return ApiResults.Error(400, "message_ids 必须是非空字符串数组 (或 all: true)");
            ids = list.EnumerateArray().Select(x => x.GetString()!.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        if (queues.Unsupported is { } why) return ApiResults.Error(501, why);
        var outcome = await Broker(() => queues.ReplayAsync(queue, ids, ct));
        return outcome.Result ?? ApiResults.Ok(new { queue, replayed = outcome.Value!.Replayed, not_found = outcome.Value.NotFound },
            $"已重放 {outcome.Value.Replayed} 条消息");
    }

    /// <summary>A missing queue is 404, an unreachable management API 502; broker outages answer 503 (the envelope middleware).</summary>
    private static async Task<(T? Value, IResult? Result)> Broker<T>(Func<Task<T>> call)
    {
        try
        {
            return (await call(), null);
        }
        catch (ErrorQueueNotFoundException ex)
        {
            return (default, ApiResults.Error(404, ex.Message));
        }
        catch (HttpRequestException ex)
        {
            return (default, ApiResults.Error(502, $"RabbitMQ 管理接口不可用 (Bus:RabbitMqManagementUri): {ex.Message}"));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,249}_error$")]
    private static partial Regex ValidQueue();
}
