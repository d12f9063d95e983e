namespace NasSav.Contracts.Lifecycle;

/// <summary>
/// Catalog's answer to <see cref="ImportVideo"/>: <see cref="Recorded"/> when the row now says the video is
/// there; otherwise <see cref="Retry"/> tells whether asking again later may help (the add is still running).
/// </summary>
public sealed record VideoImported
{
    public bool Recorded { get; init; }
    public bool Created { get; init; }
    public bool Retry { get; init; }
    public string? Message { get; init; }
}
