using System.Globalization;
using System.Text.RegularExpressions;

namespace NasSav.Maintenance.Backups;

/// <summary>Names and retention of what the backup jobs write: database_{yyyyMMdd_HHmmss}/ and avid_backup_{yyyyMMdd_HHmmss}.json.</summary>
public static partial class BackupFolder
{
    public const string StampFormat = "yyyyMMdd_HHmmss";

    [GeneratedRegex(@"^(database_|avid_backup_)(\d{8}_\d{6})(\.json)?$", RegexOptions.CultureInvariant)]
    private static partial Regex BackupName();

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);

    /// <summary>Deletes backups (of <paramref name="prefix"/>) older than <paramref name="days"/> by the time in their name; 0 keeps all.</summary>
    public static List<string> Prune(string root, string prefix, int days, DateTimeOffset now)
    {
        var removed = new List<string>();
        if (days <= 0 || !Directory.Exists(root)) return removed;
        var cutoff = now.UtcDateTime - TimeSpan.FromDays(days);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, prefix + "*"))
        {
            var name = Path.GetFileName(entry);
            var m = BackupName().Match(name);
            if (!m.Success || m.Groups[1].Value != prefix) continue;
            var when = DateTime.ParseExact(m.Groups[2].Value, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            if (when >= cutoff) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
            removed.Add(name);
        }
        return removed;
    }
}
