using Microsoft.Extensions.DependencyInjection;
using NasSav.Maintenance.Library;
using NasSav.Maintenance.Scheduling;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

public static class ConsistencyRegistration
{
    /// <summary>The checks and the jobs made of them (NASSAV's three commands, at its beat times, plus check-all on demand).</summary>
    public static IServiceCollection AddConsistencyChecks(this IServiceCollection services)
    {
        services.AddHttpClient(AvatarCheck.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<CoverCheck>();
        services.AddSingleton<ThumbnailCheck>();
        services.AddSingleton<VideoCheck>();
        services.AddSingleton<AvatarCheck>();
        services.AddSingleton<OrphanFilesCheck>();
        services.AddSingleton<StagingCheck>();
        services.AddSingleton<LifecycleCheck>();
        Add(services, "check-resources", "封面、缩略图、视频、孤立文件与暂存目录检查", "0 3 * * *",
            typeof(CoverCheck), typeof(ThumbnailCheck), typeof(VideoCheck), typeof(OrphanFilesCheck), typeof(StagingCheck));
        Add(services, "check-videos", "视频文件与 file_exists / file_size 一致性检查", "0 7 * * *", typeof(VideoCheck));
        Add(services, "check-avatars", "演员头像一致性检查", "5 7 * * *", typeof(AvatarCheck));
        Add(services, "check-lifecycles", "卡住、失败的生命周期与缺少元数据的资源检查", "20 * * * *", typeof(LifecycleCheck));
        Add(services, "check-all", "全部一致性检查 (按需)", null,
            typeof(CoverCheck), typeof(ThumbnailCheck), typeof(VideoCheck), typeof(AvatarCheck), typeof(OrphanFilesCheck), typeof(StagingCheck),
            typeof(LifecycleCheck));
        return services;
    }

    private static void Add(IServiceCollection services, string name, string description, string? cron, params Type[] checks) =>
        services.AddSingleton<IMaintenanceJob>(sp => new ConsistencyJob(name, description, cron,
            checks.Select(t => (IConsistencyCheck)sp.GetRequiredService(t)).ToList(),
            sp.GetRequiredService<LibraryClient>(), sp.GetRequiredService<IMediaStore>(), sp.GetRequiredService<TimeProvider>()));
}
