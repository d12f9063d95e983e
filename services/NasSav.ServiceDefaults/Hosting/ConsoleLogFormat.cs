namespace NasSav.ServiceDefaults.Hosting;

/// <summary>
/// Which console log format a host writes (<c>Logging:Format</c>): <c>json</c> (one object per line, for
/// containers, CI and files), <c>simple</c> (human-readable), or <c>auto</c> / not set: simple when the
/// console is a terminal, JSON when it is redirected.
/// </summary>
public static class ConsoleLogFormat
{
    public const string Key = "Logging:Format";
    public const string Json = "json";
    public const string Simple = "simple";
    public const string Auto = "auto";

    /// <exception cref="InvalidOperationException">an unknown value (the host does not start, the key is named)</exception>
    public static string Resolve(string? configured, bool outputRedirected)
    {
        var value = configured?.Trim().ToLowerInvariant();
        return value switch
        {
            null or "" or Auto => outputRedirected ? Json : Simple,
            Json or Simple => value,
            _ => throw new InvalidOperationException($"{Key}: '{configured}' is not one of {Json}, {Simple}, {Auto}"),
        };
    }
}
