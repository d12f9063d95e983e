namespace NasSav.Contracts.Export;

/// <summary>
/// Request to catalog: everything a media-server export needs of these AVIDs (at most 200), answered with
/// <see cref="ResourceDetails"/>. AVIDs not in the library are simply absent from the answer.
/// </summary>
public sealed record GetResourceDetails
{
    public required IReadOnlyList<string> Avids { get; init; }
}
