using System.Runtime.InteropServices;

namespace NasSav.Media.Storage;

/// <summary>
/// link(2): a second name for the same file, no bytes copied. .NET has symbolic links only. Used where a file must
/// appear in two places without doubling the disk it takes: resumed download segments, the media-server export.
/// </summary>
public static partial class HardLink
{
    public enum Outcome
    {
        Linked,
        /// <summary>The two paths are on different file systems (EXDEV): only a copy can work.</summary>
        CrossDevice,
        /// <summary>Not supported here (Windows, no libc) or refused for another reason (permissions, the file system).</summary>
        Failed,
    }

    private const int ExDev = 18; // Linux and macOS alike

    /// <summary>Creates <paramref name="target"/> as a hard link to <paramref name="source"/>; the target must not exist.</summary>
    public static Outcome TryCreate(string source, string target)
    {
        if (OperatingSystem.IsWindows()) return Outcome.Failed;
        try
        {
            if (link(source, target) == 0) return Outcome.Linked;
            return Marshal.GetLastPInvokeError() == ExDev ? Outcome.CrossDevice : Outcome.Failed;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Outcome.Failed;
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string oldPath, string newPath);
}
