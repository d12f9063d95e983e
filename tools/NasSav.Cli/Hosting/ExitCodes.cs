namespace NasSav.Cli.Hosting;

/// <summary>
/// Every exit code the CLI uses, one meaning each across commands (README, "Exit codes"), so a script can rely on them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything asked for succeeded (or already was so: an AVID already in the library, a video already downloaded).</summary>
    public const int Ok = 0;
    /// <summary>Some item failed: an add, a download, a job run, a translation; <c>get</c>: the stream could not be fetched.</summary>
    public const int Failed = 1;
    /// <summary>Bad usage, or the host refused (4xx/5xx envelope) or could not be reached.</summary>
    public const int Refused = 2;
    /// <summary>Gave up waiting (<c>--timeout</c>) while the host still works on it.</summary>
    public const int TimedOut = 3;
    /// <summary><c>get</c>: not a playlist, a live stream, DRM or another layout the engine refuses.</summary>
    public const int Unsupported = 4;
    /// <summary><c>get</c>: not enough free space beside the output.</summary>
    public const int NoSpace = 5;
    /// <summary><c>get</c>: the remux to MP4 failed (ffmpeg/ffprobe missing or failing).</summary>
    public const int RemuxFailed = 6;
    /// <summary>Ctrl-C (SIGINT) or SIGTERM: the viewer stopped; work in the host goes on.</summary>
    public const int Interrupted = 130;
}
