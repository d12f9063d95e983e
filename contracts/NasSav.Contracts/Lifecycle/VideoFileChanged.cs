namespace NasSav.Contracts.Lifecycle;

/// <summary>
/// Published by catalog after a resource's row says its video appeared or went away outside a download (the video
/// deleted over the API, a drop-folder import, a consistency repair). A finished download says so with
/// <see cref="ResourceStateChanged"/> (State "Downloaded") instead. The media-server export follows both.
/// </summary>
public sealed record VideoFileChanged
{
    public required string Avid { get; init; }
    public required bool Exists { get; init; }
}
