using Microsoft.Extensions.Logging;
using NasSav.Media.Storage;

namespace NasSav.Downloader.Engine;

/// <summary>
/// Which planned files are already on disk. A folder's segments belong to the stream named by its
/// fingerprint file; segments of another stream are removed from the staging folder and never taken
/// from a resume folder. Files taken from a resume folder are hard-linked (copied across volumes).
/// </summary>
public static class ResumeIndex
{
    public const string FingerprintFile = "stream.fingerprint";

    /// <returns>Size of every planned file now present in <paramref name="staging"/>, by file name.</returns>
    public static Dictionary<string, long> Prepare(SegmentPlan plan, string staging, IReadOnlyList<string>? resumeFrom, ILogger logger)
    {
        Directory.CreateDirectory(staging);
        foreach (var part in Directory.EnumerateFiles(staging, "*.part")) File.Delete(part);
        var fingerprintPath = Path.Combine(staging, FingerprintFile);
        if (ReadFingerprint(staging) != plan.Fingerprint)
        {
            var stale = Directory.EnumerateFiles(staging, "*" + SegmentPlan.Extension).ToList();
            if (stale.Count > 0) logger.LogWarning("Staging folder {Staging} held {Count} segments of another stream: removed", staging, stale.Count);
            foreach (var file in stale) File.Delete(file);
            File.WriteAllText(fingerprintPath, plan.Fingerprint);
        }

        var sources = (resumeFrom ?? [])
            .Where(d => Path.GetFullPath(d) != Path.GetFullPath(staging) && ReadFingerprint(d) == plan.Fingerprint)
            .ToList();
        var present = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in plan.Items)
        {
            var path = Path.Combine(staging, item.FileName);
            if (!File.Exists(path))
            {
                var source = sources.Select(d => Path.Combine(d, item.FileName)).FirstOrDefault(File.Exists);
                if (source is null) continue;
                LinkOrCopy(source, path);
            }
            present[item.FileName] = new FileInfo(path).Length;
        }
        return present;
    }

    private static string? ReadFingerprint(string folder)
    {
        var path = Path.Combine(folder, FingerprintFile);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static void LinkOrCopy(string source, string target)
    {
        if (HardLink.TryCreate(source, target) == HardLink.Outcome.Linked) return;
        var tmp = target + ".part";
        File.Copy(source, tmp, overwrite: true);
        File.Move(tmp, target, overwrite: true);
    }
}
