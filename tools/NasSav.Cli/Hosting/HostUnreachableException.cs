namespace NasSav.Cli.Hosting;

/// <summary>The host did not answer at all (connection refused, DNS, timeout); reported once by <see cref="NassavCli"/> as exit 2.</summary>
public sealed class HostUnreachableException(Uri url, Exception inner) : Exception($"cannot reach {url}: {inner.Message}", inner);
