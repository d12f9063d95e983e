namespace NasSav.Media.Processes;

/// <summary>
/// Where an external tool is. A bare name (<c>ffmpeg</c>) is looked up in the absolute directories of PATH and
/// nowhere else: .NET's own rule for <c>Process.Start</c> tries the application's and the current directory
/// first, so a <c>./ffmpeg</c> planted in a host's working folder would run. A name with a directory part is
/// the operator's explicit choice and is used as given (made absolute).
/// </summary>
public static class ExecutableLocator
{
    /// <summary>The absolute path of <paramref name="nameOrPath"/>, or null when no such executable file exists.</summary>
    /// <param name="searchPath">PATH to search; the process's PATH when null.</param>
    public static string? Find(string nameOrPath, string? searchPath = null)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath)) return null;
        if (HasDirectory(nameOrPath))
        {
            var full = Path.GetFullPath(nameOrPath);
            return IsExecutableFile(full) ? full : null;
        }
        foreach (var dir in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A relative entry ("." or "bin") would bring the working directory back in.
            if (!Path.IsPathFullyQualified(dir)) continue;
            var candidate = Path.Combine(dir, nameOrPath);
            if (IsExecutableFile(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>What to say when <see cref="Find"/> found nothing.</summary>
    public static string NotFoundMessage(string nameOrPath) =>
        HasDirectory(nameOrPath)
            ? $"'{nameOrPath}' does not exist or is not an executable file"
            : $"'{nameOrPath}' was not found on PATH (the working directory is not searched)";

    public static bool HasDirectory(string nameOrPath) =>
        nameOrPath.Contains(Path.DirectorySeparatorChar) || nameOrPath.Contains(Path.AltDirectorySeparatorChar);

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
