using System.Text;

namespace NasSav.Maintenance.Scheduling;

/// <summary>What a running job sees: its mode, cancellation, and where its progress, counts, log and report go.</summary>
public sealed class JobContext(long runId, string job, bool apply, Action<JobProgress> onProgress, CancellationToken cancellation)
{
    private const int MaxLogChars = 256 * 1024;
    private readonly StringBuilder _log = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long RunId { get; } = runId;
    public string Job { get; } = job;
    /// <summary>false: a dry run, which reports what it would change and changes nothing.</summary>
    public bool Apply { get; } = apply;
    public CancellationToken Cancellation { get; } = cancellation;
    /// <summary>The JSON report (serialised with snake_case names as written).</summary>
    public object? Report { get; set; }
    /// <summary>One line saying how it went.</summary>
    public string? Summary { get; set; }

    public void Progress(long done, long? total = null, long bytes = 0, long? totalBytes = null, string? message = null) =>
        onProgress(new JobProgress(done, total, bytes, totalBytes, message));

    public void Count(string name, long add = 1)
    {
        lock (_counts) _counts[name] = _counts.GetValueOrDefault(name) + add;
    }

    public IReadOnlyDictionary<string, long> Counts
    {
        get { lock (_counts) return new Dictionary<string, long>(_counts); }
    }

    public void Log(string line)
    {
        lock (_log)
        {
            if (_log.Length > MaxLogChars) return;
            _log.Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")).Append(' ').Append(line).Append('\n');
            if (_log.Length > MaxLogChars) _log.Append("... (log truncated)\n");
        }
    }

    public string LogText
    {
        get { lock (_log) return _log.ToString(); }
    }
}

public sealed record JobProgress(long Done, long? Total, long Bytes, long? TotalBytes, string? Message);
