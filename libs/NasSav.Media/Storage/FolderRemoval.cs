namespace NasSav.Media.Storage;

/// <summary>
/// Deletes a folder of many freshly written files (download segments) quickly: an unlink waits for any writeback of
/// the file still in flight, so one at a time 1000 fresh segments took seconds on a busy disk (docs/benchmarks.md);
/// several unlinks at once overlap those waits.
/// </summary>
public static class FolderRemoval
{
    public static void DeleteTree(string folder)
    {
        if (!Directory.Exists(folder)) return;
        Parallel.ForEach(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), new ParallelOptions { MaxDegreeOfParallelism = 16 }, File.Delete);
        Directory.Delete(folder, recursive: true);
    }
}
