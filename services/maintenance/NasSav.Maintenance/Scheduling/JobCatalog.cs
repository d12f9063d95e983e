using Microsoft.Extensions.Options;

namespace NasSav.Maintenance.Scheduling;

/// <summary>A job with its effective schedule (configuration over the job's defaults).</summary>
public sealed record ScheduledJob(IMaintenanceJob Job, CronSchedule? Schedule, bool Enabled, bool Apply, string TimeZone);

/// <summary>Every job this host knows, by name.</summary>
public sealed class JobCatalog
{
    private readonly Dictionary<string, ScheduledJob> _jobs = new(StringComparer.OrdinalIgnoreCase);

    public JobCatalog(IEnumerable<IMaintenanceJob> jobs, IOptions<MaintenanceOptions> options)
    {
        foreach (var job in jobs)
        {
            var config = options.Value.Jobs.GetValueOrDefault(job.Name) ?? new JobScheduleOptions();
            var cron = config.Cron ?? job.DefaultCron;
            CronSchedule? schedule = null;
            if (!CronSchedule.IsOff(cron) && !CronSchedule.TryParse(cron!, config.TimeZone, out schedule, out var error))
                throw new InvalidOperationException($"Maintenance:Jobs:{job.Name}:{error}");
            CronSchedule.TryFindZone(config.TimeZone, out var zone);
            _jobs[job.Name] = new ScheduledJob(job, schedule, config.Enabled ?? true, config.Apply ?? job.DefaultApply, zone.Id);
        }
    }

    public IReadOnlyCollection<ScheduledJob> All => _jobs.Values;

    public ScheduledJob? Find(string name) => _jobs.GetValueOrDefault(name);
}
