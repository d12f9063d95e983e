namespace NasSav.Maintenance.Scheduling;

/// <summary>One kind of maintenance work; the scheduler runs it by its cron and on demand, one run at a time cluster-wide.</summary>
public interface IMaintenanceJob
{
    /// <summary>kebab-case, unique: the API path segment and configuration key.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>Cron used when configuration gives none; null: on demand only.</summary>
    string? DefaultCron { get; }
    /// <summary>Whether a scheduled run applies repairs by default (checks); jobs that only write ignore it.</summary>
    bool DefaultApply => true;

    Task RunAsync(JobContext context);
}
