using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Watchdog;

/// <summary>
/// Our addition: GET /lifecycles/problems lists what the watchdog sees; POST /lifecycles/repair resumes the given
/// AVIDs (or every listed one) now. Behind the gateway's API key like all of /nassav/api.
/// </summary>
public static class WatchdogEndpoints
{
    public const int MaxRepair = 500;

    public static IServiceCollection AddLifecycleWatchdog(this IServiceCollection services)
    {
        services.AddScoped<LifecycleProblems>();
        services.AddScoped<LifecycleRepairs>();
        services.AddSingleton<LifecycleWatchdog>();
        services.AddHostedService(sp => sp.GetRequiredService<LifecycleWatchdog>());
        services.AddBusContribution(x => x.AddConsumer<LifecycleProblemsConsumer>());
        return services;
    }

    public static IEndpointRouteBuilder MapWatchdogEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var prefix = $"{ApiPipeline.ApiPrefix}/lifecycles";
        endpoints.MapGet($"{prefix}/problems", Problems);
        endpoints.MapPost($"{prefix}/repair", Repair);
        return endpoints;
    }

    private static async Task<IResult> Problems(HttpRequest request, LifecycleProblems problems, IOptions<LifecycleOptions> options, CancellationToken ct)
    {
        string? kind = request.Query["kind"];
        if (kind is not (null or "" or LifecycleProblem.Overdue or LifecycleProblem.Failed or LifecycleProblem.NoMetadata))
            return ApiResults.Error(400, "kind 参数无效，应为 overdue、failed 或 no_metadata");
        var all = await problems.ListAsync(ct);
        var items = all.Where(p => string.IsNullOrEmpty(kind) || p.Kind == kind).ToList();
        return ApiResults.Ok(new
        {
            total = items.Count,
            counts = new
            {
                overdue = all.Count(p => p.Kind == LifecycleProblem.Overdue),
                failed = all.Count(p => p.Kind == LifecycleProblem.Failed),
                no_metadata = all.Count(p => p.Kind == LifecycleProblem.NoMetadata),
            },
            auto_repair = options.Value.Watchdog.Enabled && options.Value.Watchdog.AutoRepair,
            items = items.Select(Shape),
        });
    }

    /// <summary>{"avids": [...]} resumes those (forced: even a step within its deadline); {"all": true} every listed problem.</summary>
    private static async Task<IResult> Repair(HttpRequest request, LifecycleProblems problems, LifecycleRepairs repairs, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        var all = body.Value.TryGetProperty("all", out var a) && a.ValueKind == JsonValueKind.True;
        List<Avid> avids;
        if (all)
        {
            avids = (await problems.ListAsync(ct)).Select(p => Avid.Parse(p.Avid)).ToList();
        }
        else
        {
            if (!body.Value.TryGetProperty("avids", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                return ApiResults.Error(400, "avids 参数必须是非空数组 (或 all: true)");
            avids = [];
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !Avid.TryParse(item.GetString(), out var avid, out var error))
                    return ApiResults.Error(400, $"avids 含无效 AVID: {(item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText())}");
                avids.Add(avid);
            }
        }
        avids = avids.DistinctBy(x => x.Value).ToList();
        if (avids.Count > MaxRepair) return ApiResults.Error(400, $"一次最多修复 {MaxRepair} 个");
        await repairs.ResumeAsync(avids, force: true, ct);
        return ApiResults.Envelope(202, $"已提交 {avids.Count} 个恢复请求", new { queued = avids.Count, avids = avids.Select(x => x.Value) });
    }

    private static object Shape(LifecycleProblem p) => new
    {
        avid = p.Avid,
        kind = p.Kind,
        state = p.State,
        deadline = Times.Iso(p.Deadline),
        failed_step = p.FailedStep,
        failure_code = p.FailureCode,
        reason = p.Reason,
        has_row = p.HasRow,
        has_metadata = p.HasMetadata,
        repair_attempts = p.RepairAttempts,
        last_repair_at = Times.Iso(p.LastRepairAt),
        auto_repairable = p.AutoRepairable,
    };
}
